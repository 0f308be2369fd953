#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "features/raw_frame.h"

namespace envmon::eval {

// The CSV layouts of ../shared/data/timeseries, recognised from the header row.
enum class Layout {
  beijing_multisite,  // No,year,month,day,hour,PM2.5,...,TEMP,PRES,DEWP,RAIN,wd,WSPM,station
  five_cities,        // No,year,...,PM_<site>...,PM_US Post,DEWP,HUMI,PRES,TEMP,cbwd,Iws,...
  us_embassy,         // No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir
  uci_air_quality,    // Date,Time,CO(GT),...,T,RH,AH   (-200 = missing)
  noaa_isd,           // t,wind_direction,...,air_temperature,...,dew_point,...   (UTC, gaps)
  prophet,            // ds,y   (Prophet's examples: y is taken as temperature)
  store,              // not a file: a station's hourly aggregates in the store (store_frame.h)
};
std::string_view layout_name(Layout l);

// A dataset on the hourly grid. Sub-hourly rows are averaged into their hour; hours without a
// row are missing (NaN). Local-time layouts carry a fixed UTC offset (the files state none).
struct Dataset {
  std::string path;
  std::string name;  // file stem
  Layout layout = Layout::prophet;
  features::RawFrame frame;
};

// Reads a file of any layout above. Errors name the file and, for a bad row, file:line and
// the column: a wrong number of fields, text where a number belongs, time going backwards.
Result<Dataset> read_dataset(const std::string& path);
// The same from text (tests); `name` stands for the file in messages.
Result<Dataset> parse_dataset(std::string_view text, const std::string& name);

// Splits one CSV line (quoted fields, "" escapes); the trailing CR of CRLF is dropped.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace envmon::eval
