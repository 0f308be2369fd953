#include "sources/openweathermap/openweathermap_parse.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <utility>

#include "core/error.h"
#include "sources/http/provider_json.h"

namespace envmon::sources::owm {

namespace json = http::json;

namespace {

using json::Element;
using json::Number;

void reject(http::ParseResult& out, std::string reason) {
  out.rejects.push_back({std::string(errc_name(Errc::source_payload)), std::move(reason)});
}

http::ParseResult bad_payload(std::string reason) {
  http::ParseResult out;
  out.outcome = http::Outcome::bad_payload;
  reject(out, std::move(reason));
  return out;
}

// `dt` fields are Unix seconds UTC; anything non-positive or absurdly large is no time at all.
std::optional<Timestamp> unix_time(Element parent, std::string_view key) {
  const Number n = json::number_at(parent, key);
  if (n.state != Number::State::value || n.value <= 0 || n.value > 1e11) return std::nullopt;
  return Timestamp(Seconds(static_cast<int64_t>(n.value)));
}

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

Reading new_reading(const ReadingSeed& seed, Timestamp observed_at) {
  Reading r;
  r.source = seed.source;
  r.station = seed.station;
  r.observed_at = observed_at;
  r.ingested_at = seed.now;
  return r;
}

void finish(http::ParseResult& out, Reading r, std::string_view where) {
  if (r.measurements.empty()) {
    out.outcome = http::Outcome::bad_payload;
    reject(out, std::string(where) + ": no usable measurement");
    return;
  }
  out.readings.push_back(std::move(r));
}

// The hour's precipitation: rain.1h, else rain.3h, else the same from snow (mm water).
Number precipitation(Element obj) {
  for (std::string_view block : {"rain", "snow"}) {
    const auto b = json::child(obj, block);
    if (!b) continue;
    for (std::string_view window : {"1h", "3h"}) {
      const Number n = json::number_at(*b, window);
      if (n.state != Number::State::absent) return n;
    }
  }
  return {};
}

void parse_weather(Element root, const ReadingSeed& seed, http::ParseResult& out) {
  const auto dt = unix_time(root, "dt");
  if (!dt) {
    out = bad_payload("dt: missing or not a Unix time");
    return;
  }
  Reading r = new_reading(seed, *dt);
  const Number id = json::number_at(root, "id");
  if (id.state == Number::State::value && id.value != 0) {
    r.station.provider_id = std::to_string(static_cast<int64_t>(id.value));
  }
  size_t& missing = out.missing_values;
  if (const auto main = json::child(root, "main")) {
    add(r, missing, Metric::temperature, json::number_at(*main, "temp"), "K");
    add(r, missing, Metric::humidity, json::number_at(*main, "humidity"), "%");
    add(r, missing, Metric::pressure, json::number_at(*main, "pressure"), "hPa");
  }
  if (const auto wind = json::child(root, "wind")) {
    add(r, missing, Metric::wind_speed, json::number_at(*wind, "speed"), "m/s");
    add(r, missing, Metric::wind_direction, json::number_at(*wind, "deg"), "deg");
  }
  if (const auto clouds = json::child(root, "clouds")) {
    add(r, missing, Metric::cloud_cover, json::number_at(*clouds, "all"), "%");
  }
  add(r, missing, Metric::precipitation, precipitation(root), "mm");
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
    reject(out, where + ".dt: missing or not a Unix time");
    return;
  }
  // A forecast is not an observation: only the hour that has begun is kept.
  if (forecast && *dt > seed.now) return;
  // main.aqi is OpenWeather's own 1..5 scale, not a US AQI: never mapped, counted as discarded.
  if (const auto main = json::child(item, "main"); main && json::child(*main, "aqi")) {
    ++out.missing_values;
  }
  Reading r = new_reading(seed, *dt);
  simdjson::dom::object components;
  if (const auto c = json::child(item, "components");
      c && c->get_object().get(components) == simdjson::SUCCESS) {
    for (const auto field : components) {
      const auto metric = component_metric(field.key);
      if (!metric) {
        ++out.missing_values;  // no, nh3: not in the metric catalogue
        continue;
      }
      add(r, out.missing_values, *metric, json::number(field.value), "ug/m3");
    }
  }
  if (r.measurements.empty()) {
    reject(out, where + ".components: no usable measurement");
    return;
  }
  out.readings.push_back(std::move(r));
}

void parse_air_pollution(Element root, bool forecast, const ReadingSeed& seed,
                         http::ParseResult& out) {
  // `coord` is an object in live data and an array in the documentation: it is not needed.
  simdjson::dom::array list;
  const auto l = json::child(root, "list");
  if (!l || l->get_array().get(list) != simdjson::SUCCESS) {
    out = bad_payload("list: missing or not an array");
    return;
  }
  size_t index = 0;
  for (const auto item : list)
    parse_air_item(item, index++, forecast, seed, out);
  if (out.readings.empty() && !out.rejects.empty()) out.outcome = http::Outcome::bad_payload;
}

void parse_onecall(Element root, const ReadingSeed& seed, http::ParseResult& out) {
  const auto current = json::child(root, "current");
  if (!current || !current->is_object()) {
    out = bad_payload("current: missing or not an object");
    return;
  }
  const auto dt = unix_time(*current, "dt");
  if (!dt) {
    out = bad_payload("current.dt: missing or not a Unix time");
    return;
  }
  Reading r = new_reading(seed, *dt);
  size_t& missing = out.missing_values;
  add(r, missing, Metric::temperature, json::number_at(*current, "temp"), "K");
  add(r, missing, Metric::humidity, json::number_at(*current, "humidity"), "%");
  add(r, missing, Metric::pressure, json::number_at(*current, "pressure"), "hPa");
  add(r, missing, Metric::wind_speed, json::number_at(*current, "wind_speed"), "m/s");
  add(r, missing, Metric::wind_direction, json::number_at(*current, "wind_deg"), "deg");
  add(r, missing, Metric::cloud_cover, json::number_at(*current, "clouds"), "%");
  add(r, missing, Metric::precipitation, precipitation(*current), "mm");
  finish(out, std::move(r), "current");
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
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
    const std::string l = lower(text);
    const bool subscription =
        l.find("one call") != std::string::npos || l.find("subscription") != std::string::npos;
    out.outcome = subscription ? http::Outcome::endpoint_unavailable : http::Outcome::unauthorized;
  } else if (status == 404) {
    out.outcome = http::Outcome::not_found;
  } else if (status == 429) {
    out.outcome = http::Outcome::rate_limited;
  } else if (status >= 400 && status < 500) {
    out.outcome = http::Outcome::bad_payload;
    reject(out, "HTTP " + std::to_string(status) + ": " + text);
  } else {
    out.outcome = http::Outcome::transient;
  }
  return out;
}

http::ParseResult parse_success(Endpoint endpoint, std::string_view body, const ReadingSeed& seed) {
  simdjson::dom::parser parser;
  Element root;
  if (const auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS) {
    return bad_payload(std::string("body is not valid JSON: ") + simdjson::error_message(err));
  }
  if (!root.is_object()) return bad_payload("body: expected a JSON object");
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
