#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// Query parameters as cpp-httplib hands them over (httplib::Params is this multimap).
using QueryParams = std::multimap<std::string, std::string>;

struct LatLon {
  double lat = 0;
  double lon = 0;
};

// Which recorded answer a request gets, before any fault is applied.
struct Route {
  Provider provider = Provider::unknown;
  int status = 200;
  std::string sample;  // "<dir>/<file>.json" under the samples dir; empty when `body` is used
  std::string body;    // constructed body for errors no sample covers
  bool data = false;   // an observation: personalised in time_mode=now, counted per station
  std::optional<LatLon> coords;
  std::string station_key;                // "lat,lon" (4 decimals), "@uid", "city:name", ...
  std::string idx;                        // WAQI station id to write into the body (now mode)
  std::optional<int64_t> start_day_secs;  // archive start_date, midnight wall clock as UTC
};

// Maps a GET to its provider and answer. `api_key_header` is OWM's undocumented x-api-key.
// Unknown paths come back with Provider::unknown.
Route route_request(std::string_view path, const QueryParams& params,
                    std::string_view api_key_header, const FakeOptions& options);

// The sample each provider uses to say "rate limited" (status included: WAQI says it with 200).
Route rate_limited_route(Provider p);

// "lat,lon" with 4 fixed decimals: the station key used in the stats.
std::string station_key(LatLon c);
// A stable positive WAQI-like station id for a coordinate, so every station is distinct.
int64_t station_idx(LatLon c);

}  // namespace envmon::fake_providers
