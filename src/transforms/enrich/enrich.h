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
// offsets). Zones are loaded once per station at construction. Each station caches the span
// between two of its zone's transitions (offset constant) and the last local date, so the hot
// path adds the offset and writes fixed-width digits; the tz database is consulted again only
// when a time falls outside the span. The cache makes an Enricher single-threaded: one per
// pipeline (each worker has its own).
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
  // [from_ms, until_ms): instants with one UTC offset, from the zone's transitions around the
  // last miss. Empty (from > until) until the first lookup.
  struct OffsetSpan {
    int64_t from_ms = 1;
    int64_t until_ms = 0;
    int32_t offset_secs = 0;
  };
  // The local date last written ("YYYY-MM-DD"), keyed by local days since the epoch.
  struct DateCache {
    int64_t local_day = INT64_MIN;
    char text[10] = {};
  };
  struct Zone {
    config::StationConfig station;  // a copy, so the enricher does not depend on the config's lifetime
    absl::TimeZone tz;
    mutable OffsetSpan span;
    mutable DateCache date;
  };
  static int32_t offset_at(const Zone& z, int64_t ms);
  std::vector<Zone> zones_;
};

// "2026-03-29T02:30:00+01:00": RFC 3339 local time; milliseconds only when non-zero. The
// reference path (a tz lookup per call); Enricher gives the same text from its caches.
void format_local_time(Timestamp t, const absl::TimeZone& tz, std::string& out, int32_t& offset_secs);

}  // namespace envmon::transforms
