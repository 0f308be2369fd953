#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <absl/time/time.h>

#include "config/app_config.h"
#include "core/time.h"
#include "model/reading.h"

namespace envmon::transforms {

// Local-time enrichment from the IANA tz database through absl::TimeZone (never hand-written
// offsets). Zones are loaded once per station at construction; lookups are then lock-free.
class Enricher {
 public:
  // Throws std::invalid_argument (start-up only) when a station's zone is not in the tz database;
  // the config loader already validates zones, so this is a broken invariant.
  explicit Enricher(const std::vector<config::StationConfig>& stations);

  // Fills region, timezone, utc_offset_secs and local_time for instant `t` of station `index`
  // (position in the stations list), reusing `e`'s string capacity.
  void enrich_at(size_t index, Timestamp t, Enrichment& e) const;
  // Sets the reading's enrichment and replaces its station name and coordinates by the
  // configured ones (the config is the reference for station metadata).
  void enrich(size_t index, Reading& r) const;

 private:
  struct Zone {
    config::StationConfig station;  // a copy, so the enricher does not depend on the config's lifetime
    absl::TimeZone tz;
  };
  std::vector<Zone> zones_;
};

// "2026-03-29T02:30:00+01:00": RFC 3339 local time; milliseconds only when non-zero.
void format_local_time(Timestamp t, const absl::TimeZone& tz, std::string& out, int32_t& offset_secs);

}  // namespace envmon::transforms
