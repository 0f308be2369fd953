#include "sources/waqi/waqi_config.h"

#include <charconv>
#include <string_view>

namespace envmon::sources::waqi {

namespace {

// "utrecht=@6332" (the '@' is optional); a negative uid (crowd sensors) is allowed.
Status parse_uid_entry(const config::Node& node, std::string_view entry, WaqiConfig& out) {
  const size_t eq = entry.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return node.error(Errc::config_bad_value,
                      "station_uids entry '" + std::string(entry) + "': expected station_id=@uid");
  }
  std::string_view uid = entry.substr(eq + 1);
  if (!uid.empty() && uid.front() == '@') uid.remove_prefix(1);
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(uid.data(), uid.data() + uid.size(), value);
  if (uid.empty() || ec != std::errc() || ptr != uid.data() + uid.size() || value == 0) {
    return node.error(Errc::config_bad_value, "station_uids entry '" + std::string(entry) +
                                                  "': uid must be a non-zero integer");
  }
  out.uid_by_station[std::string(entry.substr(0, eq))] = value;
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
  ENVMON_TRY(config::fill(block, waqi_schema(), out, passthrough));
  for (const auto& entry : out.station_uids) {
    ENVMON_TRY(parse_uid_entry(block.child("station_uids"), entry, out));
  }
  while (!out.base_url.empty() && out.base_url.back() == '/')
    out.base_url.pop_back();
  if (out.base_url.empty()) {
    return block.child("base_url").error(Errc::config_bad_value, "must not be empty");
  }
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
