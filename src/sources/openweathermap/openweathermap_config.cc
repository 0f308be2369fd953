#include "sources/openweathermap/openweathermap_config.h"

#include <array>
#include <utility>

#include "sources/http/provider_factory.h"

namespace envmon::sources::owm {

namespace {

constexpr std::array<std::pair<std::string_view, Endpoint>, 4> kEndpoints{{
    {"weather", Endpoint::weather},
    {"air_pollution", Endpoint::air_pollution},
    {"air_pollution_forecast", Endpoint::air_pollution_forecast},
    {"onecall", Endpoint::onecall},
}};

constexpr std::string_view kDefaultEndpoints = "[weather, air_pollution]";
const std::vector<std::string> kDefaultEndpointNames{"weather", "air_pollution"};

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
  std::vector<Error> errors;
  for (Status s :
       {config::fill(block, openweathermap_schema(), out, passthrough),
        http::check_base_url(block, "base_url", out.base_url),
        http::parse_name_list<Endpoint>(
            block, "endpoints", out.endpoints.empty() ? kDefaultEndpointNames : out.endpoints,
            kEndpoints, out.endpoint_kinds)}) {
    if (!s.ok()) errors.push_back(s.error());
  }
  ENVMON_TRY(config::join_errors(errors));
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
