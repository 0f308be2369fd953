#include "sources/waqi/waqi_parse.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/error.h"
#include "sources/http/provider_json.h"

namespace envmon::sources::waqi {

namespace json = http::json;

namespace {

using json::Element;
using json::Number;

void reject(http::ParseResult& out, std::string reason) {
  out.rejects.push_back({std::string(errc_name(Errc::source_payload)), std::move(reason)});
}

http::ParseResult with_outcome(http::Outcome outcome, std::string message) {
  http::ParseResult out;
  out.outcome = outcome;
  out.message = std::move(message);
  return out;
}

http::ParseResult bad_payload(std::string reason) {
  http::ParseResult out = with_outcome(http::Outcome::bad_payload, reason);
  reject(out, std::move(reason));
  return out;
}

http::ParseResult error_result(std::string text) {
  const http::Outcome outcome = classify_error_text(text);
  if (outcome == http::Outcome::bad_payload) return bad_payload("status error: " + text);
  return with_outcome(outcome, std::move(text));
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

void add(Reading& r, size_t& missing, Metric metric, Number n, std::string_view unit) {
  if (n.state == Number::State::absent) return;
  if (n.state == Number::State::no_data) {
    ++missing;
    return;
  }
  Measurement m;
  m.metric = metric;
  m.value = n.value;
  m.unit = std::string(unit);
  r.measurements.push_back(std::move(m));
}

void add_iaqi(Element data, Reading& r, size_t& missing) {
  simdjson::dom::object iaqi;
  const auto e = json::child(data, "iaqi");
  if (!e || e->get_object().get(iaqi) != simdjson::SUCCESS) return;
  for (const auto field : iaqi) {
    const auto it = std::find_if(kIaqi.begin(), kIaqi.end(),
                                 [&](const IaqiMapping& m) { return m.key == field.key; });
    if (it == kIaqi.end()) {
      ++missing;
      continue;
    }
    const Number n = json::number_at(field.value, "v");
    add(r, missing, it->metric,
        n.state == Number::State::absent ? Number{Number::State::no_data, 0} : n, it->unit);
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
    reject(out,
           "data.time: no timestamp (no usable time.iso nor time.s + time.tz; time.v is "
           "not trusted)");
    return;
  }
  Reading r;
  r.source = seed.source;
  r.station = seed.station;
  r.observed_at = *observed;
  r.ingested_at = seed.now;
  const Number idx = json::number_at(data, "idx");
  if (idx.state == Number::State::value) {
    r.station.provider_id = "@" + std::to_string(static_cast<int64_t>(idx.value));
  }
  add(r, out.missing_values, Metric::aqi_us, json::number_at(data, "aqi"), "aqi");
  add_iaqi(data, r, out.missing_values);
  // An offline station may have nothing at all: no reading, not an error.
  if (!r.measurements.empty()) out.readings.push_back(std::move(r));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

http::Outcome classify_error_text(std::string_view text) {
  const std::string l = lower(text);
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
      return with_outcome(http::Outcome::transient, "body is an HTML page, not JSON");
    }
    return bad_payload(std::string("body is not valid JSON: ") + simdjson::error_message(err));
  }
  const auto status = json::string_at(root, "status");
  if (!status) return bad_payload("status: missing");
  if (*status != "ok") {
    return error_result(json::string_at(root, "data").value_or("status " + *status));
  }
  const auto data = json::child(root, "data");
  if (!data || !data->is_object()) return bad_payload("data: missing or not an object");
  if (json::string_at(*data, "status") == std::optional<std::string>("error")) {
    return error_result(json::string_at(*data, "msg").value_or("data.status error"));
  }
  http::ParseResult out;
  parse_feed_data(*data, seed, out);
  return out;
}

}  // namespace envmon::sources::waqi
