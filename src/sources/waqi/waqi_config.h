#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "sources/http/poller_config.h"

namespace envmon::sources::waqi {

// How a configured station is looked up at WAQI.
enum class Query : uint8_t {
  geo,      // /feed/geo:{lat};{lon}/: the nearest station (may be kilometres away)
  city,     // /feed/{station name}/: the city's reference station
  station,  // /feed/@{uid}/: the uid given in station_uids (required for every station)
};

struct WaqiConfig {
  std::string base_url = "https://api.waqi.info";
  std::string api_key_env = "WAQI_TOKEN";
  std::string api_key_file;
  Query query = Query::geo;
  std::vector<std::string> station_uids;  // "station_id=@uid"; overrides `query` per station
  std::map<std::string, int64_t> uid_by_station;  // station_uids parsed
};

const config::Schema<WaqiConfig>& waqi_schema();

// Parses the provider keys of the `waqi:` block; `passthrough` names the poller keys.
Result<WaqiConfig> parse_waqi_config(const config::Node& block,
                                     const std::vector<std::string>& passthrough);

// With query=station every station needs a uid; the error lists the ones without.
Status check_station_uids(const WaqiConfig& config,
                          const std::vector<config::StationConfig>& stations);

// Stations report mostly hourly; the ToS allows far more than we need.
http::PollerDefaults waqi_poller_defaults();

}  // namespace envmon::sources::waqi
