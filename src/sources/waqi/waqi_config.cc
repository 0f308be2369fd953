#include "sources/waqi/waqi_config.h"

#include <charconv>
#include <limits>
#include <string_view>

#include "sources/http/provider_factory.h"

namespace envmon::sources::waqi {

namespace {

// "utrecht=@6332" (the '@' is optional); a negative uid (crowd sensors) is allowed.
Status parse_uid_entry(const config::Node& node, std::string_view entry, WaqiConfig& out) {
  const size_t eq = entry.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return node.error(Errc::config_bad_value,
                      "'" + std::string(entry) + "': expected station_id=@uid");
  }
  std::string_view uid = entry.substr(eq + 1);
  if (!uid.empty() && uid.front() == '@') uid.remove_prefix(1);
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(uid.data(), uid.data() + uid.size(), value);
  // INT64_MIN has no absolute value, and requests go by abs(uid).
  if (uid.empty() || ec != std::errc() || ptr != uid.data() + uid.size() || value == 0 ||
      value == std::numeric_limits<int64_t>::min()) {
    return node.error(Errc::config_bad_value,
                      "'" + std::string(entry) + "': uid must be a non-zero integer");
  }
  if (!out.uid_by_station.emplace(std::string(entry.substr(0, eq)), value).second) {
    return node.error(Errc::config_bad_value,
                      "'" + std::string(entry) + "': station already has a uid in station_uids");
  }
  return ok_status();
}

}  // namespace

const config::Schema<WaqiConfig>& waqi_schema() {
  static const config::Schema<WaqiConfig> schema = [] {
    config::Schema<WaqiConfig> s("sources[].waqi");
    s.string("base_url", &WaqiConfig::base_url, std::string("https://api.waqi.info"),
             "API host (or a local fake server)")
        .string("api_key_env", &WaqiConfig::api_key_env, std::string("WAQI_TOKEN"),
                "Environment variable holding the WAQI token (never put the token in the file)")
        .string("api_key_file", &WaqiConfig::api_key_file, std::string(),
                "File holding the token, used when the variable is unset (e.g. a Docker secret)")
        .enumeration("query", &WaqiConfig::query, Query::geo,
                     {{"geo", Query::geo}, {"city", Query::city}, {"station", Query::station}},
                     "How stations are looked up: geo (nearest station to lat/lon), city (by "
                     "station name), station (by uid from station_uids)")
        .string_list(
            "station_uids", &WaqiConfig::station_uids,
            "Per-station WAQI uids, 'station_id=@uid'; override `query` for those stations");
    // Raw lake retention is the common source key raw_lake_retention, off by default for WAQI.
    return s;
  }();
  return schema;
}

Result<WaqiConfig> parse_waqi_config(const config::Node& block,
                                     const std::vector<std::string>& passthrough) {
  WaqiConfig out;
  std::vector<Error> errors;
  if (Status s = config::fill(block, waqi_schema(), out, passthrough); !s.ok()) {
    errors.push_back(s.error());
  }
  if (Status s = http::check_base_url(block, "base_url", out.base_url); !s.ok()) {
    errors.push_back(s.error());
  }
  for (size_t i = 0; i < out.station_uids.size(); ++i) {
    const config::Node item = block.child("station_uids").item(i);
    if (Status s = parse_uid_entry(item, out.station_uids[i], out); !s.ok()) {
      errors.push_back(s.error());
    }
  }
  ENVMON_TRY(config::join_errors(errors));
  return out;
}

Status check_station_uids(const WaqiConfig& config,
                          const std::vector<config::StationConfig>& stations) {
  if (config.query != Query::station) return ok_status();
  std::string missing;
  for (const auto& s : stations) {
    if (config.uid_by_station.count(s.id) == 0) missing += (missing.empty() ? "" : ", ") + s.id;
  }
  if (missing.empty()) return ok_status();
  return Error(Errc::config_missing_key,
               "waqi: query is 'station' but station_uids has no uid for: " + missing);
}

http::PollerDefaults waqi_poller_defaults() {
  http::PollerDefaults d;
  d.values.limit_per_minute = 1000;
  d.values.refresh_floor_secs = 1800;
  return d;
}

}  // namespace envmon::sources::waqi
