#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store_config.h"
#include "store/store.h"

namespace envmon::store::sqlite {

// A fixed set of read-only connections handed out one thread at a time.
class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> c) : pool_(&pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (conn_) pool_->release(std::move(conn_));
    }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  void add(std::unique_ptr<Connection> c);
  Result<Lease> acquire();
  void clear();

 private:
  void release(std::unique_ptr<Connection> c);
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t total_ = 0;
};

// SQLite in WAL mode: one writer connection (the sink) and a pool of readers (the API).
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteStoreConfig config) : config_(std::move(config)) {}
  ~SqliteStore() override { close(); }

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
  // Analytics and retention (sqlite_store_analytics.cc).
  Status write_anomalies(const std::vector<AnomalyRecord>& anomalies) override;
  Result<std::vector<AnomalyRecord>> anomalies(const std::string& station, Timestamp from,
                                               Timestamp to, size_t limit) override;
  Status put_cluster_labels(const std::vector<ClusterLabel>& labels) override;
  Result<std::vector<ClusterLabel>> cluster_labels() override;
  Result<std::vector<StationAqi>> top_stations_by_aqi(Metric metric, size_t limit) override;
  Result<RetentionReport> apply_retention(Timestamp raw_before) override;
  std::optional<RetentionPolicy> retention_policy() const override {
    if (config_.raw_retention_days <= 0) return std::nullopt;
    return RetentionPolicy{config_.raw_retention_days, Seconds(config_.retention_interval_secs)};
  }
  void close() override;

  // Migrations applied by the last open() (tests check they run once).
  int migrations_applied() const { return migrations_applied_; }

 private:
  Status configure(Connection& c, bool writer);
  Result<std::unique_ptr<Connection>> open_writer();
  // One transaction: readings [first, last) plus (when `with_rest`) aggregates and dead letters.
  Status write_chunk(const WriteBatch& batch, size_t first, size_t last, bool with_rest);
  Status write_readings(const WriteBatch& batch, size_t first, size_t last);
  Status write_latest_and_progress(const WriteBatch& batch, size_t first, size_t last);
  Status write_aggregates(const std::vector<Aggregate>& aggregates);
  Status write_dead_letters(const std::vector<DeadLetter>& dead_letters);
  // Runs `body` in one transaction on the writer (for the analytics writes).
  template <typename Body>
  Status in_write_transaction(Body&& body);
  Status load_raw_horizon();

  SqliteStoreConfig config_;
  std::mutex write_mutex_;  // one writer at a time; SQLite allows no more
  std::unique_ptr<Connection> writer_;
  ReaderPool readers_;
  int migrations_applied_ = 0;
  std::atomic<int64_t> raw_horizon_ms_{0};  // see Store::apply_retention
};

}  // namespace envmon::store::sqlite
