#include "sources/openmeteo/openmeteo_parse.h"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "model/units.h"
#include "sources/http/provider_json.h"

namespace envmon::sources::openmeteo {

namespace dom = simdjson::dom;
namespace json = http::json;
using json::Element;
using json::Number;

std::optional<Metric> metric_for_variable(std::string_view variable) {
  static constexpr std::array<std::pair<std::string_view, Metric>, 26> kTable{{
      {"temperature_2m", Metric::temperature},
      {"temperature", Metric::temperature},  // legacy current_weather
      {"relative_humidity_2m", Metric::humidity},
      {"relativehumidity_2m", Metric::humidity},
      {"pressure_msl", Metric::pressure},
      {"wind_speed_10m", Metric::wind_speed},
      {"windspeed_10m", Metric::wind_speed},
      {"windspeed", Metric::wind_speed},  // legacy current_weather
      {"wind_direction_10m", Metric::wind_direction},
      {"winddirection_10m", Metric::wind_direction},
      {"winddirection", Metric::wind_direction},  // legacy current_weather
      {"precipitation", Metric::precipitation},
      {"cloud_cover", Metric::cloud_cover},
      {"cloudcover", Metric::cloud_cover},
      {"pm2_5", Metric::pm25},
      {"pm10", Metric::pm10},
      {"ozone", Metric::o3},
      {"nitrogen_dioxide", Metric::no2},
      {"sulphur_dioxide", Metric::so2},
      {"carbon_monoxide", Metric::co},
      {"us_aqi", Metric::aqi_us},
      {"us_aqi_pm2_5", Metric::aqi_us_pm25},
      {"us_aqi_pm10", Metric::aqi_us_pm10},
      {"us_aqi_ozone", Metric::aqi_us_o3},
      {"us_aqi_nitrogen_dioxide", Metric::aqi_us_no2},
      {"us_aqi_sulphur_dioxide", Metric::aqi_us_so2},
  }};
  if (variable == "us_aqi_carbon_monoxide") return Metric::aqi_us_co;
  for (const auto& [name, metric] : kTable) {
    if (name == variable) return metric;
  }
  return std::nullopt;
}

std::optional<std::string_view> ascii_unit(std::string_view u) {
  // Exact byte strings: "\u00b0" is the degree sign, "\u03bc" Greek mu (what the API sends),
  // "\u00b5" the micro sign (what people type), "\u00b3" superscript three.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTable{{
      {"\u00b0C", "degC"},
      {"\u00b0F", "degF"},
      {"km/h", "km/h"},
      {"mp/h", "mph"},  // sic: Open-Meteo's spelling of miles per hour
      {"mph", "mph"},
      {"m/s", "m/s"},
      {"kn", "kn"},
      {"hPa", "hPa"},
      {"%", "%"},
      {"mm", "mm"},
      {"inch", "in"},
      {"cm", "cm"},
      {"\u00b0", "deg"},
      {"\u03bcg/m\u00b3", "ug/m3"},
      {"\u00b5g/m\u00b3", "ug/m3"},
      {"USAQI", "aqi"},
  }};
  for (const auto& [om, ascii] : kTable) {
    if (om == u) return ascii;
  }
  if (u == "ppm") return "ppm";
  return std::nullopt;
}

namespace {

// Reads `count` digits at `pos`; false when they are not all digits.
bool read_digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool has_own_offset(std::string_view text) {
  if (text.size() <= 16) return false;
  const std::string_view tail = text.substr(16);
  return tail.find_first_of("Zz+-") != std::string_view::npos;
}

}  // namespace

Result<Timestamp> parse_local_time(std::string_view text, int64_t utc_offset_secs) {
  if (has_own_offset(text)) {
    // RFC 3339 needs seconds; Open-Meteo style minutes-only times get ":00" before the offset.
    if (text[16] != ':')
      return parse_rfc3339(std::string(text.substr(0, 16)) + ":00" + std::string(text.substr(16)));
    return parse_rfc3339(text);
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  const bool shape = (text.size() == 16 || text.size() == 19) && text[4] == '-' && text[7] == '-' &&
                     (text[10] == 'T' || text[10] == 't') && text[13] == ':' &&
                     (text.size() == 16 || text[16] == ':');
  const bool digits = shape && read_digits(text, 0, 4, y) && read_digits(text, 5, 2, mo) &&
                      read_digits(text, 8, 2, d) && read_digits(text, 11, 2, h) &&
                      read_digits(text, 14, 2, mi) &&
                      (text.size() == 16 || read_digits(text, 17, 2, sec));
  if (!digits || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return Error(Errc::validate_time,
                 "'" + std::string(text) + "' is not a local time like 2023-10-25T00:00");
  }
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t local_secs = days * 86400 + h * 3600 + mi * 60 + sec;
  return from_unix_ms((local_secs - utc_offset_secs) * 1000);
}

ErrorClass classify_error(int status, std::string_view reason, Timestamp now) {
  const auto has = [&](std::string_view needle) {
    return reason.find(needle) != std::string_view::npos;
  };
  const int64_t now_secs = to_unix_ms(now) / 1000;
  ErrorClass c;
  if (has("Minutely API request limit")) {
    c = {http::Outcome::rate_limited, Seconds(60)};
  } else if (has("Hourly API request limit")) {
    c = {http::Outcome::rate_limited, Seconds(3600 - ((now_secs % 3600) + 3600) % 3600)};
  } else if (has("Daily API request limit")) {
    c = {http::Outcome::rate_limited, Seconds(86400 - ((now_secs % 86400) + 86400) % 86400)};
  } else if (status == 429) {
    c.outcome = http::Outcome::rate_limited;
  } else if (status == 403 && has("plan")) {
    c.outcome = http::Outcome::endpoint_unavailable;  // key fine, plan lacks this endpoint
  } else if (status == 401 || status == 403 || has("API key")) {
    c.outcome = http::Outcome::unauthorized;
  } else if (status >= 500) {
    c.outcome = http::Outcome::transient;
  } else if (status == 404 || has("No data is available for this location")) {
    c.outcome = http::Outcome::not_found;
  } else {
    c.outcome = http::Outcome::bad_payload;
  }
  return c;
}

namespace {

std::string format_coord(double v) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("?");
}

// One location object being read: readings are merged per instant, so `current` and
// `current_weather` at the same time make one reading.
struct Location {
  const config::StationConfig& station;
  const ParseOptions& options;
  http::ParseResult& out;
  int64_t utc_offset_secs = 0;
  std::string provider_id;
  std::map<Timestamp, std::vector<Measurement>> steps;
  size_t future_steps = 0;
};

// The ASCII unit of a variable, checked once against its metric; nullopt (and a reject) when the
// unit is absent or does not fit, so a wrong unit costs one reject, not one per time step.
std::optional<std::string_view> resolve_unit(Location& loc, Metric metric,
                                             std::optional<std::string_view> unit,
                                             const std::string& where) {
  if (!unit) {
    http::add_reject(loc.out, where + ": no unit in the *_units block", Errc::decode_unit);
    return std::nullopt;
  }
  const auto ascii = ascii_unit(*unit);
  if (!ascii || !to_canonical(metric, *ascii, 0.0).ok()) {
    http::add_reject(loc.out,
                     where + ": unit '" + std::string(*unit) + "' does not fit " +
                         std::string(metric_id(metric)),
                     Errc::decode_unit);
    return std::nullopt;
  }
  return ascii;
}

void add(Location& loc, Timestamp at, Measurement m) {
  auto& list = loc.steps[at];
  for (const auto& existing : list) {
    if (existing.metric == m.metric) return;  // first spelling wins (e.g. current before legacy)
  }
  list.push_back(std::move(m));
}

std::optional<Timestamp> read_time(Location& loc, Element e, const std::string& where) {
  if (const auto text = json::string(e)) {
    auto t = parse_local_time(*text, loc.utc_offset_secs);
    if (t.ok()) return *t;
    http::add_reject(loc.out, where + ": " + t.error().message(), Errc::validate_time);
    return std::nullopt;
  }
  // timeformat=unixtime: seconds, always UTC.
  if (e.is_number()) {
    if (const auto t = json::unix_seconds(json::number(e))) return t;
  }
  http::add_reject(loc.out, where + ": expected an ISO 8601 string or unix seconds",
                   Errc::validate_time);
  return std::nullopt;
}

// One value of a variable: a measurement, a counted null, or a reject. `ascii_unit` is checked.
void read_value(Location& loc, Metric metric, Element v, std::string_view ascii, Timestamp at,
                const std::string& where) {
  const Number n = json::number(v);
  if (n.state == Number::State::no_data) {
    ++loc.out.missing_values;
    return;
  }
  if (n.state != Number::State::value) {
    http::add_reject(loc.out, where + ": expected a number or null");
    return;
  }
  Measurement m;
  m.metric = metric;
  m.value = n.value;
  // Canonical units stay empty (like every normalised reading); others are sent on in ASCII so
  // the processor converts them and flags the conversion.
  if (ascii != metric_info(metric).unit) m.unit = std::string(ascii);
  add(loc, at, std::move(m));
}

// The unit string of `variable` in a `*_units` block, when both exist.
std::optional<std::string_view> unit_of(std::optional<Element> units, std::string_view variable) {
  const auto e = units ? json::child(*units, variable) : std::nullopt;
  return e ? json::string(*e) : std::nullopt;
}

// `current` / `current_weather`: one instant, one value per variable.
void parse_point_block(Location& loc, dom::object block, std::optional<Element> units,
                       const std::string& prefix) {
  Element time;
  if (block.at_key("time").get(time) != simdjson::SUCCESS) {
    http::add_reject(loc.out, prefix + ".time: missing", Errc::validate_time);
    return;
  }
  const auto at = read_time(loc, time, prefix + ".time");
  if (!at) return;
  for (auto [key, value] : block) {
    const auto metric = metric_for_variable(key);
    if (!metric) continue;  // time, interval, is_day, weather_code, ...
    const std::string where = prefix + "." + std::string(key);
    const auto ascii = resolve_unit(loc, *metric, unit_of(units, key), where);
    if (ascii) read_value(loc, *metric, value, *ascii, *at, where);
  }
}

// The time axis of a series block; a step that cannot be read is nullopt (and rejected).
std::vector<std::optional<Timestamp>> read_axis(Location& loc, dom::array times,
                                                const std::string& prefix) {
  std::vector<std::optional<Timestamp>> axis;
  for (Element t : times) {
    auto at = read_time(loc, t, prefix + ".time[" + std::to_string(axis.size()) + "]");
    if (at && loc.options.skip_future && *at > loc.options.now) {
      ++loc.future_steps;
      at.reset();
    }
    axis.push_back(at);
  }
  return axis;
}

// `hourly` (and alike): a time array with parallel value arrays.
void parse_series_block(Location& loc, dom::object block, std::optional<Element> units,
                        const std::string& prefix) {
  Element time;
  dom::array times;
  if (block.at_key("time").get(time) != simdjson::SUCCESS ||
      time.get_array().get(times) != simdjson::SUCCESS) {
    http::add_reject(loc.out, prefix + ".time: missing or not an array", Errc::validate_time);
    return;
  }
  const auto axis = read_axis(loc, times, prefix);
  for (auto [key, value] : block) {
    const auto metric = metric_for_variable(key);
    if (!metric) continue;
    const std::string where = prefix + "." + std::string(key);
    const auto values = json::array(value);
    if (!values || values->size() != axis.size()) {
      http::add_reject(loc.out, where + ": expected an array as long as " + prefix + ".time (" +
                                    std::to_string(axis.size()) + ")");
      continue;
    }
    const auto ascii = resolve_unit(loc, *metric, unit_of(units, key), where);
    if (!ascii) continue;
    size_t i = 0;
    for (Element v : *values) {
      const auto& at = axis[i];
      if (at) read_value(loc, *metric, v, *ascii, *at, where + "[" + std::to_string(i) + "]");
      ++i;
    }
  }
}

void emit(Location& loc) {
  for (auto& [at, measurements] : loc.steps) {
    if (measurements.empty()) continue;
    Reading r;
    r.station = StationRef{StationId(loc.station.id), loc.station.name, loc.station.lat,
                           loc.station.lon, loc.provider_id};
    r.observed_at = at;
    r.ingested_at = loc.options.now;
    r.measurements = std::move(measurements);
    loc.out.readings.push_back(std::move(r));
  }
}

// Worse outcomes win when several locations of one answer disagree.
void merge_outcome(http::ParseResult& out, http::Outcome o) {
  if (static_cast<int>(o) > static_cast<int>(out.outcome)) out.outcome = o;
}

void parse_error_object(Element obj, int status, Timestamp now, http::ParseResult& out) {
  const std::string reason = json::string_at(obj, "reason").value_or("error without reason");
  const ErrorClass c = classify_error(status, reason, now);
  merge_outcome(out, c.outcome);
  if (c.retry_after) out.retry_after = c.retry_after;
  out.message = reason;
  if (c.outcome == http::Outcome::bad_payload) http::add_reject(out, reason);
}

// `utc_offset_seconds` turns local times into instants: a bad one would shift every reading, so
// the location is rejected instead.
std::optional<int64_t> utc_offset(Element obj, http::ParseResult& out) {
  const Number n = json::number_at(obj, "utc_offset_seconds");
  if (n.state == Number::State::absent) return 0;
  if (n.state == Number::State::value && std::abs(n.value) < 86400 &&
      n.value == std::floor(n.value)) {
    return static_cast<int64_t>(n.value);
  }
  http::add_reject(out, "utc_offset_seconds: expected whole seconds within a day",
                   Errc::validate_time);
  return std::nullopt;
}

// `current`, `current_weather` and `hourly` with their `*_units`; true when one was there.
bool parse_blocks(Location& loc, Element obj) {
  bool any_block = false;
  for (std::string_view name : {"current", "current_weather", "hourly"}) {
    const auto e = json::child(obj, name);
    if (!e) continue;
    any_block = true;
    const std::string prefix(name);
    const auto block = json::object(*e);
    if (!block) {
      http::add_reject(loc.out, prefix + ": expected an object");
      continue;
    }
    const auto units = json::child(obj, prefix + "_units");
    if (name == "hourly") {
      parse_series_block(loc, *block, units, prefix);
    } else {
      parse_point_block(loc, *block, units, prefix);
    }
  }
  return any_block;
}

void parse_location(Element obj, const config::StationConfig& station, const ParseOptions& options,
                    int status, http::ParseResult& out) {
  if (json::bool_at(obj, "error").value_or(false)) {
    parse_error_object(obj, status, options.now, out);
    return;
  }
  const auto offset = utc_offset(obj, out);
  if (!offset) return;
  Location loc{station, options, out, *offset, {}, {}, 0};
  const Number lat = json::number_at(obj, "latitude");
  const Number lon = json::number_at(obj, "longitude");
  if (lat.state == Number::State::value && lon.state == Number::State::value) {
    loc.provider_id = format_coord(lat.value) + "," + format_coord(lon.value);
  }
  if (!parse_blocks(loc, obj) && out.message.empty())
    out.message = "no current, current_weather or hourly block";
  if (loc.future_steps > 0 && out.message.empty()) {
    out.message = std::to_string(loc.future_steps) + " forecast steps after now skipped";
  }
  emit(loc);
}

// A non-2xx answer with a JSON object: its `reason` when it has one, else the status alone.
void error_status_answer(Element obj, int status, Timestamp now, http::ParseResult& out) {
  if (json::bool_at(obj, "error").value_or(false)) {
    parse_error_object(obj, status, now, out);
    return;
  }
  const ErrorClass c = classify_error(status, "", now);
  merge_outcome(out, c.outcome);
  out.message = "HTTP " + std::to_string(status) + " without an error body";
  if (c.outcome == http::Outcome::bad_payload) http::add_reject(out, out.message);
}

bool looks_like_html(const net::HttpResponse& r) {
  if (r.content_type.find("html") != std::string::npos) return true;
  const size_t first = r.body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && r.body[first] == '<';
}

// A body that is not JSON: the status decides, a proxy's HTML page is transient.
http::ParseResult non_json_answer(const net::HttpResponse& r, std::string_view why, Timestamp now) {
  const std::string message =
      "HTTP " + std::to_string(r.status) + ": body is not JSON (" + std::string(why) + ")";
  if (r.status == 200 && !looks_like_html(r)) return http::bad_payload_result(message);
  const ErrorClass c = classify_error(r.status, "", now);
  http::ParseResult out = http::outcome_result(
      r.status == 200 || c.outcome == http::Outcome::bad_payload ? http::Outcome::transient
                                                                 : c.outcome,
      message);
  out.retry_after = c.retry_after;
  return out;
}

}  // namespace

http::ParseResult parse_openmeteo_response(const config::StationConfig& station,
                                           const net::HttpResponse& response,
                                           const ParseOptions& options) {
  if (auto failed = http::transport_failure(response)) return std::move(*failed);
  dom::parser parser;
  Element root;
  if (const auto err = parser.parse(response.body).get(root); err != simdjson::SUCCESS) {
    return non_json_answer(response, simdjson::error_message(err), options.now);
  }
  http::ParseResult out;
  if (root.is_object()) {
    if (response.status < 200 || response.status > 299) {
      error_status_answer(root, response.status, options.now, out);
    } else {
      parse_location(root, station, options, response.status, out);
    }
  } else if (const auto arr = json::array(root)) {
    size_t i = 0;
    for (Element e : *arr) {  // multi-location answer: one object per coordinate
      if (e.is_object()) {
        parse_location(e, station, options, response.status, out);
      } else {
        http::add_reject(out, "[" + std::to_string(i) + "]: expected an object");
      }
      ++i;
    }
  } else {
    out.outcome = http::Outcome::bad_payload;
    http::add_reject(out, "top level: expected an object or an array");
  }
  return out;
}

}  // namespace envmon::sources::openmeteo
