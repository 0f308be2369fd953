#pragma once

#include <mutex>
#include <set>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_series.h"
#include "store/postgres/pg_store_config.h"
#include "store/store.h"

namespace envmon::store::postgres {

// PostgreSQL: a pool of connections shared by writes and queries. A write sends the batch as
// binary COPY streams, new rows straight into `measurements`, rows that may exist through
// session-local staging tables and an ON CONFLICT merge, split by station over up to
// `write_connections` connections, one transaction each (pg_write.cc), so a replayed batch
// changes nothing and COPY speed is kept.
// measurements_p20260101: the native partition starting at `start_ms`, named by its first UTC day.
std::string partition_name(int64_t start_ms);

// Where new rows are COPYed: straight into their partition, so the server routes no row (about
// 10 % less server CPU per row than COPY into the partitioned parent), or into `measurements`
// (TimescaleDB: width 0; times before 1970, whose partitions the truncating start formula of
// ensure_partitions does not name).
struct CopyRoute {
  int64_t width_ms = 0;
  int64_t part(int64_t at_ms) const {
    return width_ms > 0 && at_ms >= 0 ? at_ms / width_ms * width_ms : -1;
  }
  std::string table(int64_t part_start) const {
    return part_start < 0 ? std::string("measurements") : partition_name(part_start);
  }
};

// The session's staging tables (pg_write.cc), created once per connection.
Status prepare_staging(PgConnection& c);

class PgStore final : public Store {
 public:
  explicit PgStore(PgStoreConfig config) : config_(std::move(config)) {}
  ~PgStore() override { close(); }

  Status open() override;
  Status upsert_stations(const std::vector<config::StationConfig>& stations) override;
  Status write(const WriteBatch& batch) override;
  Result<std::vector<config::StationConfig>> stations() override;
  Result<std::vector<Observation>> latest(const std::string& station) override;
  Result<std::vector<Observation>> range(const std::string& station, Metric metric, Timestamp from,
                                         Timestamp to, size_t limit) override;
  Result<std::vector<Bucket>> buckets(const std::string& station, Metric metric, Timestamp from,
                                      Timestamp to, Seconds bucket) override;
  Result<std::vector<Aggregate>> aggregates(const std::string& station, Metric metric,
                                            Timestamp from, Timestamp to) override;
  Result<std::map<std::string, Timestamp>> source_progress(const std::string& source) override;
  Result<StoreCounts> counts() override;
  Status write_anomalies(const std::vector<AnomalyRecord>& anomalies) override;
  Result<std::vector<AnomalyRecord>> anomalies(const std::string& station, Timestamp from,
                                               Timestamp to, size_t limit) override;
  Status put_cluster_labels(const std::vector<ClusterLabel>& labels) override;
  Result<std::vector<ClusterLabel>> cluster_labels() override;
  Result<std::vector<StationAqi>> top_stations_by_aqi(Metric metric, size_t limit) override;
  Result<RetentionReport> apply_retention(Timestamp raw_before) override;
  std::optional<RetentionPolicy> retention_policy() const override;
  void close() override;

  int migrations_applied() const { return migrations_applied_; }
  bool timescale() const { return timescale_; }
  // Creates the partitions covering [from, to) that do not exist yet (pg_partitions.cc).
  Status ensure_partitions(Timestamp from, Timestamp to);

 private:
  Result<bool> detect_timescale(PgConnection& c);
  Status connect_writers();
  Status ensure_partitions_for(const WriteBatch& batch);
  Status load_partitions(PgConnection& c);
  Result<int64_t> drop_raw_before(PgConnection& c, int64_t horizon_ms);
  // Downsampling, then raw rows and the horizon in one transaction, on one pooled connection.
  Result<RetentionReport> retain(int64_t horizon_ms);
  Status cluster_closed_partitions(PgConnection& c, int64_t now_ms);
  Result<int64_t> downsample_daily(PgConnection& c);
  int64_t partition_width_ms() const;

  PgStoreConfig config_;
  PgPool pool_;
  SeriesRegistry series_;
  int migrations_applied_ = 0;
  bool timescale_ = false;
  std::mutex partitions_mutex_;
  std::set<int64_t> partitions_;  // start (unix ms) of every partition known to exist
};

}  // namespace envmon::store::postgres
