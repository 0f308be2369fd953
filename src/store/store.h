#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "core/result.h"
#include "model/reading.h"

namespace envmon::store {

// One stored value of one series. `value` is NaN when masked (raw keeps what arrived).
struct Observation {
  std::string station;
  std::string source;
  Metric metric = Metric::temperature;
  Timestamp observed_at{};
  double value = 0;
  double raw = 0;
  FlagSet flags = 0;
  Timestamp ingested_at{};
};

// One bucket of a bucketed query, computed from stored hourly aggregates or raw rows.
struct Bucket {
  Timestamp start{};
  double mean = 0;
  double min = 0;
  double max = 0;
  int64_t count = 0;
};

// Everything the store sink writes in one transaction. Writes are idempotent upserts keyed by
// (station, metric, observed_at, source) and (station, metric, bucket_start, source): writing
// the same batch twice changes nothing.
struct WriteBatch {
  std::vector<Reading> readings;        // curated readings (enriched, flagged)
  std::vector<Aggregate> aggregates;    // hourly aggregates, later revisions replace earlier
  std::vector<DeadLetter> dead_letters;
  size_t size() const { return readings.size() + aggregates.size() + dead_letters.size(); }
};

struct StoreCounts {
  int64_t observations = 0;
  int64_t aggregates = 0;
  int64_t dead_letters = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Opens or creates the database and applies pending migrations.
  virtual Status open() = 0;
  virtual Status upsert_stations(const std::vector<config::StationConfig>& stations) = 0;
  virtual Status write(const WriteBatch& batch) = 0;

  // Queries for the API; each is index-backed. Safe to call from many threads.
  virtual Result<std::vector<config::StationConfig>> stations() = 0;
  // The latest value of every metric of a station (one row per metric and source).
  virtual Result<std::vector<Observation>> latest(const std::string& station) = 0;
  // Raw rows in [from, to), oldest first, at most `limit`.
  virtual Result<std::vector<Observation>> range(const std::string& station, Metric metric,
                                                 Timestamp from, Timestamp to, size_t limit) = 0;
  // Buckets of `bucket` width (a multiple of one hour uses the hourly aggregates) in [from, to).
  virtual Result<std::vector<Bucket>> buckets(const std::string& station, Metric metric,
                                              Timestamp from, Timestamp to, Seconds bucket) = 0;
  virtual Result<std::vector<Aggregate>> aggregates(const std::string& station, Metric metric,
                                                    Timestamp from, Timestamp to) = 0;
  // Per station, the newest ingested_at of `source` (where a restarted source resumes).
  virtual Result<std::map<std::string, Timestamp>> source_progress(const std::string& source) = 0;
  virtual Result<StoreCounts> counts() = 0;
  virtual void close() = 0;
};

}  // namespace envmon::store
