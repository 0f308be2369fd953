#include "sources/openweathermap/openweathermap_parse.h"

#include <array>
#include <cmath>
#include <optional>
#include <utility>

namespace envmon::sources::owm {

namespace json = http::json;

namespace {

using json::Element;
using json::Number;

// `dt` fields are Unix seconds UTC; anything non-positive or absurdly large is no time at all.
std::optional<Timestamp> unix_time(Element parent, std::string_view key) {
  const auto t = json::unix_seconds(json::number_at(parent, key));
  if (!t || *t <= Timestamp{}) return std::nullopt;
  return t;
}

// A block of fields (`main`, `wind`, `clouds`): nullopt when absent; a reject when it is there
// but no object, so its values are never dropped without a word.
std::optional<Element> block(Element parent, std::string_view key, std::string_view where,
                             http::ParseResult& out) {
  const auto e = json::child(parent, key);
  if (!e) return std::nullopt;
  if (!e->is_object()) {
    http::add_reject(out, std::string(where) + ": expected an object");
    return std::nullopt;
  }
  return e;
}

void add(Reading& r, http::ParseResult& out, Metric metric, Element parent, std::string_view key,
         std::string_view unit, const std::string& where) {
  http::add_measurement(r, out, metric, json::number_at(parent, key), unit,
                        where + std::string(key));
}

void finish(http::ParseResult& out, Reading r, std::string_view where) {
  if (r.measurements.empty()) {
    out.outcome = http::Outcome::bad_payload;
    http::add_reject(out, std::string(where) + ": no usable measurement");
    return;
  }
  out.readings.push_back(std::move(r));
}

// The hour's precipitation: rain.1h, else rain.3h, else the same from snow (mm water).
void add_precipitation(Reading& r, http::ParseResult& out, Element obj, const std::string& where) {
  for (std::string_view name : {"rain", "snow"}) {
    const std::string prefix = where + std::string(name);
    const auto b = block(obj, name, prefix, out);
    if (!b) continue;
    for (std::string_view window : {"1h", "3h"}) {
      if (json::child(*b, window)) {
        add(r, out, Metric::precipitation, *b, window, "mm", prefix + ".");
        return;
      }
    }
  }
}

void parse_weather(Element root, const ReadingSeed& seed, http::ParseResult& out) {
  const auto dt = unix_time(root, "dt");
  if (!dt) {
    out = http::bad_payload_result("dt: missing or not a Unix time");
    return;
  }
  Reading r = http::new_reading(seed, *dt);
  const Number id = json::number_at(root, "id");
  if (id.state == Number::State::value && id.value != 0 && std::abs(id.value) < 1e15) {
    r.station.provider_id = std::to_string(static_cast<int64_t>(id.value));
  }
  if (const auto main = block(root, "main", "main", out)) {
    add(r, out, Metric::temperature, *main, "temp", "K", "main.");
    add(r, out, Metric::humidity, *main, "humidity", "%", "main.");
    add(r, out, Metric::pressure, *main, "pressure", "hPa", "main.");
  }
  if (const auto wind = block(root, "wind", "wind", out)) {
    add(r, out, Metric::wind_speed, *wind, "speed", "m/s", "wind.");
    add(r, out, Metric::wind_direction, *wind, "deg", "deg", "wind.");
  }
  if (const auto clouds = block(root, "clouds", "clouds", out)) {
    add(r, out, Metric::cloud_cover, *clouds, "all", "%", "clouds.");
  }
  add_precipitation(r, out, root, "");
  finish(out, std::move(r), "weather");
}

std::optional<Metric> component_metric(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, Metric>, 6> kMap{{
      {"pm2_5", Metric::pm25},
      {"pm10", Metric::pm10},
      {"o3", Metric::o3},
      {"no2", Metric::no2},
      {"so2", Metric::so2},
      {"co", Metric::co},
  }};
  for (const auto& [name, metric] : kMap) {
    if (name == key) return metric;
  }
  return std::nullopt;
}

void parse_air_item(Element item, size_t index, bool forecast, const ReadingSeed& seed,
                    http::ParseResult& out) {
  const std::string where = "list[" + std::to_string(index) + "]";
  const auto dt = unix_time(item, "dt");
  if (!dt) {
    http::add_reject(out, where + ".dt: missing or not a Unix time");
    return;
  }
  // A forecast is not an observation: only the hour that has begun is kept.
  if (forecast && *dt > seed.now) return;
  // main.aqi is OpenWeather's own 1..5 scale, not a US AQI: never mapped, counted as discarded.
  if (const auto main = json::child(item, "main"); main && json::child(*main, "aqi")) {
    ++out.missing_values;
  }
  const auto components = json::object_at(item, "components");
  if (!components) {
    http::add_reject(out, where + ".components: missing or not an object");
    return;
  }
  Reading r = http::new_reading(seed, *dt);
  for (const auto field : *components) {
    const auto metric = component_metric(field.key);
    if (!metric) {
      ++out.missing_values;  // no, nh3: not in the metric catalogue
      continue;
    }
    http::add_measurement(r, out, *metric, json::number(field.value), "ug/m3",
                          where + ".components." + std::string(field.key));
  }
  if (r.measurements.empty()) {
    http::add_reject(out, where + ".components: no usable measurement");
    return;
  }
  out.readings.push_back(std::move(r));
}

void parse_air_pollution(Element root, bool forecast, const ReadingSeed& seed,
                         http::ParseResult& out) {
  // `coord` is an object in live data and an array in the documentation: it is not needed.
  const auto list = json::array_at(root, "list");
  if (!list) {
    out = http::bad_payload_result("list: missing or not an array");
    return;
  }
  size_t index = 0;
  for (const auto item : *list)
    parse_air_item(item, index++, forecast, seed, out);
  if (out.readings.empty() && !out.rejects.empty()) out.outcome = http::Outcome::bad_payload;
}

void parse_onecall(Element root, const ReadingSeed& seed, http::ParseResult& out) {
  const auto current = json::child(root, "current");
  if (!current || !current->is_object()) {
    out = http::bad_payload_result("current: missing or not an object");
    return;
  }
  const auto dt = unix_time(*current, "dt");
  if (!dt) {
    out = http::bad_payload_result("current.dt: missing or not a Unix time");
    return;
  }
  Reading r = http::new_reading(seed, *dt);
  add(r, out, Metric::temperature, *current, "temp", "K", "current.");
  add(r, out, Metric::humidity, *current, "humidity", "%", "current.");
  add(r, out, Metric::pressure, *current, "pressure", "hPa", "current.");
  add(r, out, Metric::wind_speed, *current, "wind_speed", "m/s", "current.");
  add(r, out, Metric::wind_direction, *current, "wind_deg", "deg", "current.");
  add(r, out, Metric::cloud_cover, *current, "clouds", "%", "current.");
  add_precipitation(r, out, *current, "current.");
  finish(out, std::move(r), "current");
}

// The body's `message`, or empty when the body is no JSON object.
std::string body_message(std::string_view body) {
  simdjson::dom::parser parser;
  Element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return {};
  return json::string_at(root, "message").value_or("");
}

int cod_of(Element root) {
  const Number n = json::number_at(root, "cod");
  return n.state == Number::State::value ? static_cast<int>(n.value) : 0;
}

}  // namespace

int body_cod(std::string_view body) {
  simdjson::dom::parser parser;
  Element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return 0;
  return cod_of(root);
}

http::ParseResult classify_error(int status, std::string_view body) {
  http::ParseResult out;
  out.message = body_message(body);
  const std::string text = out.message.empty() ? "HTTP " + std::to_string(status) : out.message;
  if (status == 401) {
    // A valid key without the One Call subscription: only that endpoint is unavailable.
    const std::string l = http::ascii_lower(text);
    const bool subscription =
        l.find("one call") != std::string::npos || l.find("subscription") != std::string::npos;
    out.outcome = subscription ? http::Outcome::endpoint_unavailable : http::Outcome::unauthorized;
  } else if (status == 404) {
    out.outcome = http::Outcome::not_found;
  } else if (status == 429) {
    out.outcome = http::Outcome::rate_limited;
  } else if (status >= 400 && status < 500) {
    out.outcome = http::Outcome::bad_payload;
    http::add_reject(out, "HTTP " + std::to_string(status) + ": " + text);
  } else {
    out.outcome = http::Outcome::transient;
  }
  return out;
}

http::ParseResult parse_success(Endpoint endpoint, std::string_view body, const ReadingSeed& seed) {
  simdjson::dom::parser parser;
  Element root;
  if (const auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS) {
    return http::bad_payload_result(std::string("body is not valid JSON: ") +
                                    simdjson::error_message(err));
  }
  if (!root.is_object()) return http::bad_payload_result("body: expected a JSON object");
  // The HTTP status said 200; an error `cod` in the body still wins over it.
  if (const int cod = cod_of(root); cod != 0 && cod != 200) return classify_error(cod, body);
  http::ParseResult out;
  switch (endpoint) {
    case Endpoint::weather:
      parse_weather(root, seed, out);
      break;
    case Endpoint::air_pollution:
      parse_air_pollution(root, false, seed, out);
      break;
    case Endpoint::air_pollution_forecast:
      parse_air_pollution(root, true, seed, out);
      break;
    case Endpoint::onecall:
      parse_onecall(root, seed, out);
      break;
  }
  return out;
}

}  // namespace envmon::sources::owm
