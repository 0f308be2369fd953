#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "features/raw_frame.h"

namespace envmon::features {

// Which features to build. The same spec drives the offline path (a whole frame at once, for
// training from files, the store or the lake) and the online path (one hour at a time in the
// stream); features_test.cc proves both give the same values.
struct FeatureSpec {
  Raw target = Raw::pm25;               // lags and rolling statistics are of this column
  std::vector<int> lags = {1, 2, 3, 6, 12, 24, 48, 168};  // hours
  std::vector<int> windows = {3, 6, 24};                  // rolling mean/std/min/max, hours
  // Short gaps are filled with the last value, for at most this many hours. Causal on purpose:
  // the stream cannot see the next value, and offline must compute what the stream computes.
  int max_fill_hours = 3;
};

// Feature names in column order:
//   hour weekday month hour_sin hour_cos doy_sin doy_cos          calendar in local time
//   value lag_<k>... roll_{mean,std,min,max}_<w>...               the target
//   temperature dew_point humidity heat_index humidity_x_temperature wind_u wind_v pressure
//   precipitation                                                 weather and interactions
//   aqi_pm25                                                      US AQI of the 24-h mean PM2.5
std::vector<std::string> feature_names(const FeatureSpec& spec);

// Row-major matrix: row i is the features at frame index i (from values up to and including i).
struct FeatureMatrix {
  std::vector<std::string> names;
  size_t rows = 0;
  std::vector<double> values;
  double at(size_t row, size_t col) const { return values[row * names.size() + col]; }
  size_t column(const std::string& name) const;  // names.size() when absent
};

// Fills runs of NaN with the last value for at most `max_hours` consecutive hours.
class GapFiller {
 public:
  explicit GapFiller(int max_hours) : max_hours_(max_hours) {}
  double push(double x);

 private:
  int max_hours_;
  double last_ = kNaN;
  int age_ = 0;
};

// Offline: every row of a frame.
FeatureMatrix compute_features(const RawFrame& frame, const FeatureSpec& spec);

// Online: push one hourly row at a time; returns that hour's features. A timestamp that skips
// hours pushes missing rows for the hours in between, so the stream matches the gridded frame.
class OnlineFeatures {
 public:
  OnlineFeatures(FeatureSpec spec, int utc_offset_secs);
  std::vector<double> push(int64_t unix_secs, const RawRow& row);
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<double> push_one(int64_t unix_secs, const RawRow& row);

  FeatureSpec spec_;
  int utc_offset_secs_;
  std::vector<std::string> names_;
  std::vector<GapFiller> fillers_;
  std::vector<double> target_history_;  // filled target, oldest first
  std::vector<double> pm25_history_;    // filled PM2.5, oldest first
  size_t keep_ = 0;
  int64_t last_unix_ = 0;
  bool started_ = false;
};

// Calendar parts of a UTC time in local time (offset in seconds).
struct LocalCalendar {
  int hour;     // 0..23
  int weekday;  // 0 = Monday
  int month;    // 1..12
  int day_of_year;  // 0..365
  double hour_of_day;  // fractional
};
LocalCalendar local_calendar(int64_t unix_secs, int utc_offset_secs);

}  // namespace envmon::features
