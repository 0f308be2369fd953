#pragma once
// Reductions of a WriteBatch every backend needs: one row per upsert key (the last wins, as if the
// rows were upserted in order), the newest row per series (for `latest`) and the newest ingest per
// (source, station) (for `source_progress`), computed in memory so the database does one upsert
// per key.

#include <cstddef>
#include <utility>
#include <vector>

#include "store/store.h"

namespace envmon::store {

struct RowRef {
  const Reading* reading;
  const Measurement* measurement;
};

// Readings [first, last): every measurement once per (station, metric, observed_at, source).
std::vector<RowRef> unique_rows(const WriteBatch& batch, size_t first, size_t last);
// The newest measurement per (station, metric, source).
std::vector<RowRef> newest_per_series(const WriteBatch& batch, size_t first, size_t last);
// The reading with the newest ingested_at per (source, station).
std::vector<const Reading*> newest_ingest_per_station(const WriteBatch& batch, size_t first,
                                                      size_t last);
// Aggregates once per (station, metric, bucket_start, source), the last one wins.
std::vector<const Aggregate*> unique_aggregates(const std::vector<Aggregate>& aggregates);

}  // namespace envmon::store
