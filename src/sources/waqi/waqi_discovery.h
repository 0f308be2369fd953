#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace envmon::sources::waqi {

// One station from /search/ or /map/bounds/, for station discovery (no readings).
struct StationHit {
  int64_t uid = 0;  // negative for crowd sensors; request /feed/@{abs(uid)}/
  std::string name;
  double lat = 0;
  double lon = 0;
  std::string aqi;                // as sent: a number as text, or "-"
  std::optional<Timestamp> time;  // search: time.vtime (true UTC); map: station.time (ISO)
  std::string url;                // search only: relative aqicn.org slug
};

// `{"status":"ok","data":[{uid, aqi, time{tz,stime,vtime}, station{name, geo[lat,lng], url}}]}`.
// Errors carry source_auth / source_rate_limited / source_not_found / source_payload.
Result<std::vector<StationHit>> parse_search(std::string_view body);

// `{"status":"ok","data":[{lat, lon, uid, aqi, station{name, time}}]}`.
Result<std::vector<StationHit>> parse_map_bounds(std::string_view body);

}  // namespace envmon::sources::waqi
