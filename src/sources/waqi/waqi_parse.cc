#include "sources/waqi/waqi_parse.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace envmon::sources::waqi {

namespace json = http::json;

namespace {

using json::Element;
using json::Number;

http::ParseResult error_result(std::string text) {
  const http::Outcome outcome = classify_error_text(text);
  if (outcome == http::Outcome::bad_payload)
    return http::bad_payload_result("status error: " + text);
  return http::outcome_result(outcome, std::move(text));
}

struct IaqiMapping {
  std::string_view key;
  Metric metric;
  std::string_view unit;
};

// dew, wg, r, neph, uvi ... have no metric: counted as discarded, never fatal.
constexpr std::array<IaqiMapping, 10> kIaqi{{
    {"pm25", Metric::aqi_us_pm25, "aqi"},
    {"pm10", Metric::aqi_us_pm10, "aqi"},
    {"o3", Metric::aqi_us_o3, "aqi"},
    {"no2", Metric::aqi_us_no2, "aqi"},
    {"so2", Metric::aqi_us_so2, "aqi"},
    {"co", Metric::aqi_us_co, "aqi"},
    {"t", Metric::temperature, "degC"},
    {"h", Metric::humidity, "%"},
    {"p", Metric::pressure, "hPa"},
    {"w", Metric::wind_speed, "m/s"},
}};

// `data.iaqi`: {"pm25": {"v": 12}, ...}. Keys without a metric are counted as discarded.
void add_iaqi(Element data, Reading& r, http::ParseResult& out) {
  const auto e = json::child(data, "iaqi");
  if (!e) return;
  const auto iaqi = json::object(*e);
  if (!iaqi) {
    http::add_reject(out, "data.iaqi: expected an object");
    return;
  }
  for (const auto field : *iaqi) {
    const auto it = std::find_if(kIaqi.begin(), kIaqi.end(),
                                 [&](const IaqiMapping& m) { return m.key == field.key; });
    if (it == kIaqi.end()) {
      ++out.missing_values;
      continue;
    }
    const std::string where = "data.iaqi." + std::string(field.key) + ".v";
    const Number n = json::number_at(field.value, "v");
    if (n.state == Number::State::absent) {
      http::add_reject(out, where + ": missing");
      continue;
    }
    http::add_measurement(r, out, it->metric, n, it->unit, where);
  }
}

std::optional<Timestamp> data_time(Element data) {
  const auto time = json::child(data, "time");
  if (!time) return std::nullopt;
  return feed_time(json::string_at(*time, "iso"), json::string_at(*time, "s"),
                   json::string_at(*time, "tz"));
}

void parse_feed_data(Element data, const ReadingSeed& seed, http::ParseResult& out) {
  const auto observed = data_time(data);
  if (!observed) {
    http::add_reject(out,
                     "data.time: no timestamp (no usable time.iso nor time.s + time.tz; time.v is "
                     "not trusted)");
    return;
  }
  Reading r = http::new_reading(seed, *observed);
  const Number idx = json::number_at(data, "idx");
  if (idx.state == Number::State::value && std::abs(idx.value) < 1e15) {
    r.station.provider_id = "@" + std::to_string(static_cast<int64_t>(idx.value));
  }
  http::add_measurement(r, out, Metric::aqi_us, json::number_at(data, "aqi"), "aqi", "data.aqi");
  add_iaqi(data, r, out);
  // An offline station may have nothing at all: no reading, not an error.
  if (!r.measurements.empty()) out.readings.push_back(std::move(r));
}

}  // namespace

http::Outcome classify_error_text(std::string_view text) {
  const std::string l = http::ascii_lower(text);
  const auto has = [&](std::string_view needle) { return l.find(needle) != std::string::npos; };
  if (has("invalid key")) return http::Outcome::unauthorized;
  if (has("over quota")) return http::Outcome::rate_limited;
  if (has("unknown station") || has("no such station") || has("unknown id")) {
    return http::Outcome::not_found;
  }
  return http::Outcome::bad_payload;
}

std::optional<Timestamp> feed_time(std::optional<std::string> iso, std::optional<std::string> s,
                                   std::optional<std::string> tz) {
  if (iso && !iso->empty()) {
    if (auto t = parse_rfc3339(*iso); t.ok()) return *t;
  }
  // "2023-08-07 17:00:00" local wall clock + "+02:00".
  if (s && tz && s->size() == 19 && (*s)[10] == ' ') {
    std::string text = *s;
    text[10] = 'T';
    if (auto t = parse_rfc3339(text + *tz); t.ok()) return *t;
  }
  return std::nullopt;
}

http::ParseResult parse_feed(std::string_view body, const ReadingSeed& seed) {
  simdjson::dom::parser parser;
  Element root;
  if (const auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS) {
    // An HTML page comes from a proxy or CDN in the way: retry. Broken JSON is WAQI's own answer
    // gone wrong: dead-lettered with the body, like the other providers.
    const size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && body[first] == '<') {
      return http::outcome_result(http::Outcome::transient, "body is an HTML page, not JSON");
    }
    return http::bad_payload_result(std::string("body is not valid JSON: ") +
                                    simdjson::error_message(err));
  }
  const auto status = json::string_at(root, "status");
  if (!status) return http::bad_payload_result("status: missing or not a string");
  if (*status != "ok") {
    return error_result(json::string_at(root, "data").value_or("status " + *status));
  }
  const auto data = json::child(root, "data");
  if (!data || !data->is_object())
    return http::bad_payload_result("data: missing or not an object");
  if (json::string_at(*data, "status") == std::optional<std::string>("error")) {
    return error_result(json::string_at(*data, "msg").value_or("data.status error"));
  }
  http::ParseResult out;
  parse_feed_data(*data, seed, out);
  return out;
}

}  // namespace envmon::sources::waqi
