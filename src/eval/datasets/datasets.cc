#include "eval/datasets/datasets.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/time.h"
#include "features/weather.h"

namespace envmon::eval {
namespace {

using features::kNaN;
using features::Raw;

constexpr int kBeijingOffset = 8 * 3600;
constexpr int kItalyOffset = 1 * 3600;    // CET; the file has no DST marks
constexpr int kAlaskaOffset = -9 * 3600;  // Valdez, AKST
constexpr int kPacificOffset = -7 * 3600; // Yosemite, PDT (the README's reading of the data)

// One parsed row before gridding: a UTC time and raw values.
struct Row {
  int64_t unix_secs;
  features::RawRow v;
};

struct Table {
  const std::string& name;
  std::vector<std::string> header;
  std::map<std::string, size_t> index;
  bool has(const std::string& c) const { return index.count(c) > 0; }
};

struct Cursor {
  const Table& table;
  const std::vector<std::string>& fields;
  size_t line;
  std::vector<double> sentinels;  // values that mean "missing" in this layout

  Error error(const std::string& column, const std::string& what) const {
    return Error(Errc::decode_field, table.name + ":" + std::to_string(line) + ": column '" +
                                         column + "': " + what);
  }
  Result<std::string> text(const std::string& column) const {
    auto it = table.index.find(column);
    if (it == table.index.end()) {
      return Error(Errc::decode_field, table.name + ": header has no column '" + column + "'");
    }
    return fields[it->second];
  }
  // A number, or NaN for the missing markers (NA, NaN, empty, the layout's sentinels).
  Result<double> number(const std::string& column) const {
    auto t = text(column);
    if (!t.ok()) return t.error();
    const std::string& s = *t;
    if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "-") return kNaN;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
      return error(column, "'" + s + "' is not a number");
    }
    for (double bad : sentinels) {
      if (v == bad) return kNaN;
    }
    return v;
  }
  Result<int> integer(const std::string& column) const {
    auto v = number(column);
    if (!v.ok()) return v.error();
    if (!std::isfinite(*v) || *v != std::floor(*v)) return error(column, "not an integer");
    return static_cast<int>(*v);
  }
};

#define ENVMON_NUM(var, cursor, column)   \
  auto var##_r = (cursor).number(column); \
  if (!var##_r.ok()) return var##_r.error(); \
  const double var = *var##_r

Result<int64_t> ymdh(const Cursor& c, int offset) {
  auto y = c.integer("year");
  auto m = c.integer("month");
  auto d = c.integer("day");
  auto h = c.integer("hour");
  for (const auto* r : {&y, &m, &d, &h}) {
    if (!r->ok()) return r->error();
  }
  if (*m < 1 || *m > 12 || *d < 1 || *d > 31 || *h < 0 || *h > 23) {
    return c.error("year/month/day/hour", "not a valid time");
  }
  return days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)) * 86400 +
         *h * 3600 - offset;
}

// "YYYY-MM-DD", then "HH:MM[:SS]" after 'T' or ' ' or in a second column; "Z" allowed.
Result<int64_t> iso_time(const Cursor& c, const std::string& column, std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  const std::string str(s);
  const int got = std::sscanf(str.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
  if (got < 3 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) {
    return c.error(column, "'" + str + "' is not a YYYY-MM-DD[ HH:MM[:SS]] time");
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + sec;
}

std::optional<Layout> detect(const Table& t) {
  if (t.has("PM2.5") && t.has("wd") && t.has("WSPM")) return Layout::beijing_multisite;
  if (t.has("PM_US Post") && t.has("HUMI")) return Layout::five_cities;
  if (t.has("pm2.5") && t.has("cbwd") && t.has("Iws")) return Layout::us_embassy;
  if (t.has("Date") && t.has("Time") && t.has("T") && t.has("RH")) return Layout::uci_air_quality;
  if (t.has("t") && t.has("air_temperature")) return Layout::noaa_isd;
  if (t.has("ds") && t.has("y")) return Layout::prophet;
  return std::nullopt;
}

// Cumulated wind speed (Iws) -> the hour's speed: the counter restarts when the direction
// changes, so a drop or a new direction starts a new run.
struct CumulatedWind {
  std::string last_dir;
  double last = kNaN;
  double speed(const std::string& dir, double cumulated) {
    double s = cumulated;
    if (dir == last_dir && std::isfinite(last) && cumulated >= last) s = cumulated - last;
    last_dir = dir;
    last = cumulated;
    return s;
  }
};

struct Parser {
  Layout layout;
  CumulatedWind wind;

  Result<Row> row(const Cursor& c) {
    Row r{};
    switch (layout) {
      case Layout::beijing_multisite: return multisite(c);
      case Layout::five_cities:
      case Layout::us_embassy: return cbwd_row(c);
      case Layout::uci_air_quality: return uci(c);
      case Layout::noaa_isd: return isd(c);
      case Layout::prophet:
      case Layout::store: return prophet(c);
    }
    return r;
  }

  Result<Row> multisite(const Cursor& c) {
    Row r{};
    auto t = ymdh(c, kBeijingOffset);
    if (!t.ok()) return t.error();
    r.unix_secs = *t;
    ENVMON_NUM(pm, c, "PM2.5");
    ENVMON_NUM(temp, c, "TEMP");
    ENVMON_NUM(pres, c, "PRES");
    ENVMON_NUM(dewp, c, "DEWP");
    ENVMON_NUM(rain, c, "RAIN");
    ENVMON_NUM(ws, c, "WSPM");
    r.v[Raw::pm25] = pm;
    r.v[Raw::temperature] = temp;
    r.v[Raw::pressure] = pres;
    r.v[Raw::dew_point] = dewp;
    r.v[Raw::precipitation] = rain;
    r.v[Raw::wind_speed] = ws;
    r.v[Raw::wind_dir_deg] = features::compass_to_degrees(*c.text("wd")).value_or(kNaN);
    return r;
  }

  Result<Row> cbwd_row(const Cursor& c) {
    Row r{};
    auto t = ymdh(c, kBeijingOffset);
    if (!t.ok()) return t.error();
    r.unix_secs = *t;
    ENVMON_NUM(pm, c, layout == Layout::us_embassy ? "pm2.5" : "PM_US Post");
    ENVMON_NUM(temp, c, "TEMP");
    ENVMON_NUM(pres, c, "PRES");
    ENVMON_NUM(dewp, c, "DEWP");
    ENVMON_NUM(iws, c, "Iws");
    r.v[Raw::pm25] = pm;
    r.v[Raw::temperature] = temp;
    r.v[Raw::pressure] = pres;
    r.v[Raw::dew_point] = dewp;
    if (layout == Layout::five_cities) {
      ENVMON_NUM(humi, c, "HUMI");
      ENVMON_NUM(rain, c, "precipitation");
      r.v[Raw::humidity] = humi;
      r.v[Raw::precipitation] = rain;
    }
    const std::string dir = *c.text("cbwd");
    r.v[Raw::wind_speed] = std::isfinite(iws) ? wind.speed(dir, iws) : kNaN;
    r.v[Raw::wind_dir_deg] = features::compass_to_degrees(dir).value_or(kNaN);
    return r;
  }

  Result<Row> uci(const Cursor& c) {
    Row r{};
    auto t = iso_time(c, "Date", *c.text("Date") + " " + *c.text("Time"));
    if (!t.ok()) return t.error();
    r.unix_secs = *t - kItalyOffset;
    ENVMON_NUM(temp, c, "T");
    ENVMON_NUM(rh, c, "RH");
    r.v[Raw::temperature] = temp;
    r.v[Raw::humidity] = rh;
    return r;
  }

  Result<Row> isd(const Cursor& c) {
    Row r{};
    auto t = iso_time(c, "t", *c.text("t"));
    if (!t.ok()) return t.error();
    r.unix_secs = *t;
    ENVMON_NUM(temp, c, "air_temperature");
    ENVMON_NUM(dewp, c, "dew_point");
    ENVMON_NUM(ws, c, "wind_speed");
    ENVMON_NUM(dir_rad, c, "wind_direction");
    ENVMON_NUM(pres_pa, c, "air_pressure_at_sea_level");
    r.v[Raw::temperature] = temp;
    r.v[Raw::dew_point] = dewp;
    r.v[Raw::wind_speed] = ws;
    r.v[Raw::pressure] = pres_pa / 100.0;
    // Direction of travel, counter-clockwise from east -> meteorological "from" bearing.
    const double travel_bearing = 90.0 - dir_rad * 180.0 / M_PI;
    r.v[Raw::wind_dir_deg] = std::fmod(std::fmod(travel_bearing + 180.0, 360.0) + 360.0, 360.0);
    return r;
  }

  Result<Row> prophet(const Cursor& c) {
    Row r{};
    auto t = iso_time(c, "ds", *c.text("ds"));
    if (!t.ok()) return t.error();
    r.unix_secs = *t;
    ENVMON_NUM(y, c, "y");
    r.v[Raw::temperature] = y;
    return r;
  }
};

// Every column a layout's parser reads, checked once against the header.
std::vector<std::string> required_columns(Layout l) {
  switch (l) {
    case Layout::beijing_multisite:
      return {"year", "month", "day", "hour", "PM2.5", "TEMP", "PRES", "DEWP", "RAIN", "wd", "WSPM"};
    case Layout::five_cities:
      return {"year", "month", "day", "hour", "PM_US Post", "TEMP", "PRES", "DEWP", "HUMI",
              "precipitation", "cbwd", "Iws"};
    case Layout::us_embassy:
      return {"year", "month", "day", "hour", "pm2.5", "TEMP", "PRES", "DEWP", "cbwd", "Iws"};
    case Layout::uci_air_quality: return {"Date", "Time", "T", "RH"};
    case Layout::noaa_isd:
      return {"t", "air_temperature", "dew_point", "wind_speed", "wind_direction",
              "air_pressure_at_sea_level"};
    case Layout::prophet: return {"ds", "y"};
    case Layout::store: return {};
  }
  return {};
}

std::vector<double> sentinels_for(Layout l) {
  switch (l) {
    case Layout::uci_air_quality: return {-200};
    case Layout::five_cities: return {-9999, 999990};
    default: return {};
  }
}

int offset_for(Layout l) {
  switch (l) {
    case Layout::uci_air_quality: return kItalyOffset;
    case Layout::noaa_isd: return kAlaskaOffset;
    case Layout::prophet: return kPacificOffset;
    default: return kBeijingOffset;
  }
}

// Averages rows into hourly buckets on a gap-free grid.
Result<features::RawFrame> grid(const std::vector<Row>& rows, const std::string& name,
                                int offset) {
  features::RawFrame f;
  f.utc_offset_secs = offset;
  if (rows.empty()) return Error(Errc::decode_field, name + ": no data rows");
  const auto hour_of = [](int64_t t) { return t >= 0 ? t / 3600 : (t - 3599) / 3600; };
  const int64_t first = hour_of(rows.front().unix_secs);
  f.start_unix = first * 3600;
  const int64_t span = hour_of(rows.back().unix_secs) - first + 1;
  if (span <= 0 || span > 50 * 8784) {
    return Error(Errc::decode_field, name + ": time span of " + std::to_string(span) +
                                         " hours is not plausible");
  }
  f.resize(static_cast<size_t>(span));
  std::vector<std::array<double, features::kRawCount>> sum(f.size()), count(f.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto h = static_cast<size_t>(hour_of(rows[i].unix_secs) - first);
    for (size_t k = 0; k < features::kRawCount; ++k) {
      if (std::isfinite(rows[i].v.v[k])) {
        sum[h][k] += rows[i].v.v[k];
        count[h][k] += 1;
      }
    }
  }
  for (size_t h = 0; h < f.size(); ++h) {
    for (size_t k = 0; k < features::kRawCount; ++k) {
      if (count[h][k] > 0) f.cols[k][h] = sum[h][k] / count[h][k];
    }
  }
  return f;
}

}  // namespace

std::string_view layout_name(Layout l) {
  switch (l) {
    case Layout::beijing_multisite: return "beijing_multisite";
    case Layout::five_cities: return "five_cities";
    case Layout::us_embassy: return "us_embassy";
    case Layout::uci_air_quality: return "uci_air_quality";
    case Layout::noaa_isd: return "noaa_isd";
    case Layout::prophet: return "prophet";
    case Layout::store: return "store";
  }
  return "?";
}

std::vector<std::string> split_csv_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        out.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  return out;
}

Result<Dataset> parse_dataset(std::string_view text, const std::string& name) {
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line)) return Error(Errc::decode_syntax, name + ": empty file");
  Table table{name, split_csv_line(line), {}};
  for (size_t i = 0; i < table.header.size(); ++i) table.index[table.header[i]] = i;
  const auto layout = detect(table);
  if (!layout) {
    return Error(Errc::decode_syntax,
                 name + ":1: unknown CSV layout (expected the Beijing multi-site, five-cities, "
                        "US-embassy, UCI air quality, NOAA ISD or Prophet ds,y header)");
  }
  for (const auto& column : required_columns(*layout)) {
    if (!table.has(column)) {
      return Error(Errc::decode_field, name + ":1: the " + std::string(layout_name(*layout)) +
                                           " header has no column '" + column + "'");
    }
  }
  Parser parser{*layout, {}};
  const std::vector<double> sentinels = sentinels_for(*layout);
  std::vector<Row> rows;
  for (size_t n = 2; std::getline(in, line); ++n) {
    if (line.empty() || line == "\r") continue;
    const auto fields = split_csv_line(line);
    if (fields.size() != table.header.size()) {
      return Error(Errc::decode_syntax, name + ":" + std::to_string(n) + ": " +
                                            std::to_string(fields.size()) + " fields, the header has " +
                                            std::to_string(table.header.size()));
    }
    auto row = parser.row(Cursor{table, fields, n, sentinels});
    if (!row.ok()) return row.error();
    if (!rows.empty() && row->unix_secs < rows.back().unix_secs) {
      return Error(Errc::decode_field, name + ":" + std::to_string(n) + ": time goes backwards");
    }
    rows.push_back(*row);
  }
  auto frame = grid(rows, name, offset_for(*layout));
  if (!frame.ok()) return frame.error();
  Dataset d;
  d.name = name;
  d.layout = *layout;
  d.frame = std::move(*frame);
  return d;
}

Result<Dataset> read_dataset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto d = parse_dataset(buf.str(), path);
  if (!d.ok()) return d.error();
  d->path = path;
  d->name = std::filesystem::path(path).stem().string();
  return d;
}

}  // namespace envmon::eval
