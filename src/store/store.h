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

// Everything the store sink writes in one write(). Writes are idempotent upserts keyed by
// (station, metric, observed_at, source) and (station, metric, bucket_start, source): writing
// the same batch twice changes nothing. A backend may commit a large batch in several
// transactions (PostgreSQL splits it by station, each station's rows, latest and progress in
// one); write() succeeds only when all committed, and after a failure the sink's retry of the
// whole batch converges to the same result as one successful write.
struct WriteBatch {
  std::vector<Reading> readings;        // curated readings (enriched, flagged)
  std::vector<Aggregate> aggregates;    // hourly aggregates, later revisions replace earlier
  std::vector<DeadLetter> dead_letters;
  size_t size() const { return readings.size() + aggregates.size() + dead_letters.size(); }
};

// An anomaly a detector found in one series, with what drove it.
struct AnomalyRecord {
  std::string station;
  Metric metric = Metric::pm25;
  Timestamp at{};
  std::string detector;           // "robust_zscore", "isolation_forest", "autoencoder", ...
  double score = 0;               // detector's score; higher is more anomalous
  double value = 0;               // the observed value that was scored
  std::string explanation_json;   // JSON object: which metrics and features drove the score
};

// A station's cluster under one clustering model (KMeans of daily and weekly profiles).
struct ClusterLabel {
  std::string station;
  int32_t cluster = 0;
  std::string model;              // registered model name and version, e.g. "station_profiles/3"
  double silhouette = 0;          // this station's silhouette value
  Timestamp computed_at{};
};

// A station's current AQI (the newest hourly AQI aggregate), for the "top stations" view.
struct StationAqi {
  std::string station;
  Metric metric = Metric::aqi_us;
  Timestamp at{};
  double aqi = 0;
  std::string dominant;           // dominant pollutant, when known
};

// What one retention run did (Store::apply_retention).
struct RetentionReport {
  Timestamp raw_horizon{};           // raw rows before this are gone; queries use aggregates
  int64_t raw_rows_deleted = 0;
  int64_t daily_rows_refreshed = 0;  // downsampled days (backends that keep daily aggregates)
};

// What the runtime's retention job should do for this store: keep `raw_retention_days` of raw
// rows, run every `interval`.
struct RetentionPolicy {
  int64_t raw_retention_days = 0;
  Seconds interval{3600};
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

  // Analytics results. Writes are idempotent: anomalies keyed by (station, metric, at, detector),
  // cluster labels by (station, model). The defaults say the backend lacks them (issue 5 and 6
  // fill both SQLite and PostgreSQL).
  virtual Status write_anomalies(const std::vector<AnomalyRecord>& anomalies) {
    (void)anomalies;
    return Error(Errc::internal, "this store does not keep anomalies");
  }
  // Newest first; an empty station means every station.
  virtual Result<std::vector<AnomalyRecord>> anomalies(const std::string& station, Timestamp from,
                                                       Timestamp to, size_t limit) {
    (void)station, (void)from, (void)to, (void)limit;
    return Error(Errc::internal, "this store does not keep anomalies");
  }
  virtual Status put_cluster_labels(const std::vector<ClusterLabel>& labels) {
    (void)labels;
    return Error(Errc::internal, "this store does not keep cluster labels");
  }
  // The labels of the newest model that has any.
  virtual Result<std::vector<ClusterLabel>> cluster_labels() {
    return Error(Errc::internal, "this store does not keep cluster labels");
  }
  // Stations ordered by their newest AQI (`metric` is aqi_us or aqi_in), highest first.
  virtual Result<std::vector<StationAqi>> top_stations_by_aqi(Metric metric, size_t limit) {
    (void)metric, (void)limit;
    return Error(Errc::internal, "this store does not rank stations by AQI");
  }
  // Downsamples and deletes raw rows observed before `raw_before` (floored to the hour, which
  // becomes the raw horizon); aggregates are kept for ever. Sub-hour buckets() before the horizon
  // are answered from hourly aggregates, so the API has no gap across it.
  virtual Result<RetentionReport> apply_retention(Timestamp raw_before) {
    (void)raw_before;
    return Error(Errc::internal, "this store has no retention");
  }
  // The retention the store's config asks for; none: no job (raw rows kept for ever).
  virtual std::optional<RetentionPolicy> retention_policy() const { return std::nullopt; }
  virtual void close() = 0;
};

}  // namespace envmon::store
