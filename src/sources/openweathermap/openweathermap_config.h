#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "sources/http/poller_config.h"

namespace envmon::sources::owm {

// The OpenWeatherMap APIs this source can poll, per station.
enum class Endpoint : uint8_t {
  weather,                 // /data/2.5/weather: current conditions (model refresh ~10 min)
  air_pollution,           // /data/2.5/air_pollution: current hour
  air_pollution_forecast,  // /data/2.5/air_pollution/forecast: only the item of the current hour
  onecall,                 // /data/3.0/onecall: `current` block; separate subscription and quota
};
std::string_view endpoint_name(Endpoint e);
std::optional<Endpoint> parse_endpoint(std::string_view name);

struct OpenWeatherMapConfig {
  std::string base_url = "https://api.openweathermap.org";
  std::string api_key_env = "OWM_API_KEY";
  std::string api_key_file;
  std::vector<std::string>
      endpoints;  // as written; empty means the default (weather, air_pollution)
  int64_t onecall_limit_per_day = 1000;
  std::vector<Endpoint> endpoint_kinds;  // `endpoints` parsed, duplicates removed
};

const config::Schema<OpenWeatherMapConfig>& openweathermap_schema();

// The provider's keys as shown by `envmon config schema` (endpoints with its real default).
std::vector<config::FieldSpec> openweathermap_field_specs();

// Parses the provider keys of the `openweathermap:` block; `passthrough` names the poller keys,
// which sit in the same block and are left for fill_poller_config.
Result<OpenWeatherMapConfig> parse_openweathermap_config(
    const config::Node& block, const std::vector<std::string>& passthrough);

// Free tier: 60 calls/min and 1,000,000 calls/month; the model refreshes every 10 minutes.
http::PollerDefaults openweathermap_poller_defaults();

}  // namespace envmon::sources::owm
