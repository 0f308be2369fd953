#include "sources/openweathermap/openweathermap_config.h"

#include <algorithm>
#include <array>
#include <utility>

namespace envmon::sources::owm {

namespace {

constexpr std::array<std::pair<std::string_view, Endpoint>, 4> kEndpoints{{
    {"weather", Endpoint::weather},
    {"air_pollution", Endpoint::air_pollution},
    {"air_pollution_forecast", Endpoint::air_pollution_forecast},
    {"onecall", Endpoint::onecall},
}};

constexpr std::string_view kDefaultEndpoints = "[weather, air_pollution]";

std::string endpoint_choices() {
  std::string out;
  for (const auto& [name, e] : kEndpoints) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Status parse_endpoints(const config::Node& block, OpenWeatherMapConfig& out) {
  std::vector<std::string> names = out.endpoints;
  if (names.empty()) names = {"weather", "air_pollution"};
  for (const auto& name : names) {
    const auto e = parse_endpoint(name);
    if (!e) {
      return block.child("endpoints")
          .error(Errc::config_bad_value,
                 "unknown endpoint '" + name + "'; valid: " + endpoint_choices());
    }
    if (std::find(out.endpoint_kinds.begin(), out.endpoint_kinds.end(), *e) ==
        out.endpoint_kinds.end()) {
      out.endpoint_kinds.push_back(*e);
    }
  }
  return ok_status();
}

}  // namespace

std::string_view endpoint_name(Endpoint e) {
  for (const auto& [name, value] : kEndpoints) {
    if (value == e) return name;
  }
  return "unknown";
}

std::optional<Endpoint> parse_endpoint(std::string_view name) {
  for (const auto& [n, value] : kEndpoints) {
    if (n == name) return value;
  }
  return std::nullopt;
}

const config::Schema<OpenWeatherMapConfig>& openweathermap_schema() {
  static const config::Schema<OpenWeatherMapConfig> schema = [] {
    config::Schema<OpenWeatherMapConfig> s("sources[].openweathermap");
    s.string("base_url", &OpenWeatherMapConfig::base_url,
             std::string("https://api.openweathermap.org"),
             "API host; paid plans may be given another one (or point it at a local fake server)")
        .string("api_key_env", &OpenWeatherMapConfig::api_key_env, std::string("OWM_API_KEY"),
                "Environment variable holding the API key (the key itself never goes in the file)")
        .string("api_key_file", &OpenWeatherMapConfig::api_key_file, std::string(),
                "File holding the API key, used when the variable is unset (e.g. a Docker secret)")
        .string_list("endpoints", &OpenWeatherMapConfig::endpoints,
                     "APIs polled per station: weather, air_pollution, air_pollution_forecast "
                     "(current hour only), onecall (separate subscription); empty: " +
                         std::string(kDefaultEndpoints))
        .integer("onecall_limit_per_day", &OpenWeatherMapConfig::onecall_limit_per_day, 1000,
                 "calls", 0, 1e9,
                 "Daily allowance of One Call 3.0 (quota group 'onecall'; 1000 free, then billed)");
    return s;
  }();
  return schema;
}

std::vector<config::FieldSpec> openweathermap_field_specs() {
  std::vector<config::FieldSpec> specs = openweathermap_schema().specs();
  for (auto& spec : specs) {
    if (spec.key == "endpoints") spec.default_value = std::string(kDefaultEndpoints);
  }
  return specs;
}

Result<OpenWeatherMapConfig> parse_openweathermap_config(
    const config::Node& block, const std::vector<std::string>& passthrough) {
  OpenWeatherMapConfig out;
  ENVMON_TRY(config::fill(block, openweathermap_schema(), out, passthrough));
  ENVMON_TRY(parse_endpoints(block, out));
  while (!out.base_url.empty() && out.base_url.back() == '/')
    out.base_url.pop_back();
  if (out.base_url.empty()) {
    return block.child("base_url").error(Errc::config_bad_value, "must not be empty");
  }
  return out;
}

http::PollerDefaults openweathermap_poller_defaults() {
  http::PollerDefaults d;
  d.values.limit_per_minute = 60;
  d.values.limit_per_month = 1000000;
  d.values.refresh_floor_secs = 600;
  return d;
}

}  // namespace envmon::sources::owm
