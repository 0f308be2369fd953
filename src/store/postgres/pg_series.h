#pragma once
// Series ids. `measurements` is keyed by (series_id int4, observed_at): a fixed-width key the
// server compares as integers (text keys cost ~40 % more server CPU per row on COPY, most of it
// in the primary-key B-tree) on narrower rows. A series is one (station, metric, source) row of
// the `series` table; `measurements_named` shows the rows with their names for psql.
//
// The registry caches the ids and, per series, the newest observed_at known to be stored (read
// from `latest` when the series is first seen, then raised by every commit): a row after it
// cannot exist yet and goes by plain COPY; a row at or before it (a replay, a revision, late
// data) may, and goes through the idempotent merge without a failed COPY first.
#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/batch_reduce.h"
#include "store/postgres/pg_conn.h"

namespace envmon::store::postgres {

struct SeriesSlot {
  int32_t id = 0;  // 0: not registered yet
  int64_t stored_max_ms = std::numeric_limits<int64_t>::min();
};

// One unique row of a batch with its series.
struct SeriesRow {
  int32_t series = 0;
  int64_t at_ms = 0;           // observed_at
  bool maybe_stored = false;   // at or before the newest row known stored for the series
  RowRef ref{};
  SeriesSlot* slot = nullptr;  // stable: slots are never erased
};

// Primary-key order: consecutive index insertions land on the same leaf pages.
inline bool series_row_less(const SeriesRow& a, const SeriesRow& b) {
  return a.series != b.series ? a.series < b.series : a.at_ms < b.at_ms;
}

class SeriesRegistry {
 public:
  // `rows` with their series; series not seen before are registered (and their newest stored
  // row read) on `c` in a transaction of their own, before the write's. `c` has the session's
  // staging tables (pg_write.cc), stage_series among them.
  Result<std::vector<SeriesRow>> resolve(PgConnection& c, const std::vector<RowRef>& rows);
  // After `rows` committed: raises each series' newest stored row.
  void committed(const std::vector<SeriesRow>& rows);

 private:
  using Slots = std::array<SeriesSlot, kMetricCount>;
  Slots& slots_of(const Reading& r);  // under mutex_
  Status register_missing(PgConnection& c, const std::vector<RowRef>& missing);

  std::mutex mutex_;
  std::unordered_map<std::string, Slots> by_station_source_;  // "station\0source"
};

}  // namespace envmon::store::postgres
