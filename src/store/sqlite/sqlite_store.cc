#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <string>

#include "store/batch_reduce.h"
#include "store/sqlite/migrations.h"

namespace envmon::store::sqlite {
namespace {

constexpr std::chrono::milliseconds kMaxPause{200};

Error closed_error() {
  return Error(Errc::store_io, "sqlite store is not open", Retryable::no);
}

constexpr const char* kUpsertMeasurement =
    "INSERT INTO measurements (station_id, metric, observed_at, source, value, raw, flags, "
    "ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (station_id, metric, observed_at, source) DO UPDATE SET value = excluded.value, "
    "raw = excluded.raw, flags = excluded.flags, ingested_at = excluded.ingested_at";

constexpr const char* kUpsertLatest =
    "INSERT INTO latest (station_id, metric, source, observed_at, value, raw, flags, ingested_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (station_id, metric, source) DO UPDATE "
    "SET "
    "observed_at = excluded.observed_at, value = excluded.value, raw = excluded.raw, "
    "flags = excluded.flags, ingested_at = excluded.ingested_at "
    "WHERE excluded.observed_at >= latest.observed_at";

constexpr const char* kUpsertProgress =
    "INSERT INTO source_progress (source, station_id, max_ingested_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (source, station_id) DO UPDATE SET "
    "max_ingested_at = max(max_ingested_at, excluded.max_ingested_at)";

constexpr const char* kUpsertAggregate =
    "INSERT INTO aggregates_hourly (station_id, metric, bucket_start, source, bucket_secs, mean, "
    "min, "
    "max, "
    "count, revision, dominant) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (station_id, metric, bucket_start, source) DO UPDATE SET "
    "bucket_secs = excluded.bucket_secs, mean = excluded.mean, min = excluded.min, "
    "max = excluded.max, count = excluded.count, revision = excluded.revision, "
    "dominant = excluded.dominant";

constexpr const char* kInsertDeadLetter =
    "INSERT INTO dead_letters (stage, error_code, reason, topic, key, payload, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";

constexpr const char* kUpsertStation =
    "INSERT INTO stations (id, name, lat, lon, timezone, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon, "
    "timezone = excluded.timezone, region = excluded.region";

void bind_measurement(Statement& st, const Reading& r, const Measurement& m) {
  st.bind(1, std::string_view(r.station.id.get()));
  st.bind(2, metric_id(m.metric));
  st.bind(3, to_unix_ms(r.observed_at));
  st.bind(4, std::string_view(r.source.get()));
  st.bind_real(5, m.value);
  st.bind_real(6, m.raw);
  st.bind(7, static_cast<int64_t>(m.flags));
  st.bind(8, to_unix_ms(r.ingested_at));
}

}  // namespace

void ReaderPool::add(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
  ++total_;
  available_.notify_one();
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  std::unique_lock lock(mutex_);
  if (total_ == 0) return closed_error();
  available_.wait(lock, [&] { return !idle_.empty() || total_ == 0; });
  if (total_ == 0) return closed_error();
  auto c = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(c));
}

void ReaderPool::release(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
  available_.notify_one();
}

void ReaderPool::clear() {
  std::unique_lock lock(mutex_);
  // Waits for leased connections to come back so none is closed under a running query.
  available_.wait(lock, [&] { return idle_.size() == total_; });
  idle_.clear();
  total_ = 0;
  available_.notify_all();
}

Status SqliteStore::configure(Connection& c, bool writer) {
  ENVMON_TRY(c.exec("PRAGMA busy_timeout = " + std::to_string(config_.busy_timeout_ms)));
  ENVMON_TRY(c.exec("PRAGMA cache_size = -" + std::to_string(config_.cache_size_kib)));
  ENVMON_TRY(c.exec("PRAGMA temp_store = MEMORY"));
  if (!writer) return c.exec("PRAGMA query_only = ON");
  ENVMON_TRY(c.exec("PRAGMA journal_mode = WAL"));
  ENVMON_TRY(c.exec(std::string("PRAGMA synchronous = ") +
                    (config_.synchronous == Synchronous::full ? "FULL" : "NORMAL")));
  return c.exec("PRAGMA wal_autocheckpoint = " + std::to_string(config_.wal_autocheckpoint_pages));
}

// Several processes may open one database at once (envmon process members on a shared data dir).
// Switching to WAL and migrating need an exclusive lock, and SQLite answers SQLITE_BUSY for them
// without always consulting the busy handler, so the whole set-up retries until busy_timeout_ms.
Result<std::unique_ptr<Connection>> SqliteStore::open_writer() {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.busy_timeout_ms);
  for (auto pause = std::chrono::milliseconds(10);; pause = std::min(pause * 2, kMaxPause)) {
    auto w = Connection::open(config_.path, false);
    if (!w.ok()) return w.error();
    Status st = configure(**w, true);
    if (st.ok()) {
      auto applied = migrate(**w);
      if (applied.ok()) {
        migrations_applied_ = *applied;
        return std::move(*w);
      }
      st = applied.error().with_context("migrating " + config_.path);
    }
    if (!st.error().retryable() || std::chrono::steady_clock::now() + pause > deadline) {
      return st.error();
    }
    std::this_thread::sleep_for(pause);
  }
}

Status SqliteStore::open() {
  std::lock_guard lock(write_mutex_);
  if (writer_) return ok_status();
  const std::filesystem::path parent = std::filesystem::path(config_.path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return Error(Errc::store_io, "creating " + parent.string() + ": " + ec.message());
  }
  auto w = open_writer();
  if (!w.ok()) return w.error();
  for (int64_t i = 0; i < config_.read_connections; ++i) {
    auto r = Connection::open(config_.path, true);
    if (!r.ok()) return r.error();
    ENVMON_TRY(configure(**r, false));
    readers_.add(std::move(*r));
  }
  writer_ = std::move(*w);
  return load_raw_horizon();
}

void SqliteStore::close() {
  readers_.clear();
  std::lock_guard lock(write_mutex_);
  if (writer_) (void)writer_->exec("PRAGMA optimize");
  writer_.reset();
}

Status SqliteStore::upsert_stations(const std::vector<config::StationConfig>& stations) {
  std::lock_guard lock(write_mutex_);
  if (!writer_) return closed_error();
  Transaction tx(*writer_);
  ENVMON_TRY(tx.begin());
  auto st = writer_->prepare(kUpsertStation);
  if (!st.ok()) return st.error();
  for (const auto& s : stations) {
    st->bind(1, std::string_view(s.id));
    st->bind(2, std::string_view(s.name));
    st->bind_real(3, s.lat);
    st->bind_real(4, s.lon);
    st->bind(5, std::string_view(s.timezone));
    st->bind(6, std::string_view(s.region));
    ENVMON_TRY(st->run());
  }
  return tx.commit();
}

Status SqliteStore::write(const WriteBatch& batch) {
  std::lock_guard lock(write_mutex_);
  if (!writer_) return closed_error();
  const size_t max_rows = static_cast<size_t>(config_.max_rows_per_transaction);
  size_t first = 0;
  bool with_rest = true;
  do {
    size_t rows = 0;
    size_t last = first;
    while (last < batch.readings.size() &&
           (rows == 0 || rows + batch.readings[last].measurements.size() <= max_rows)) {
      rows += batch.readings[last].measurements.size();
      ++last;
    }
    ENVMON_TRY(write_chunk(batch, first, last, with_rest));
    with_rest = false;
    first = last;
  } while (first < batch.readings.size());
  return ok_status();
}

Status SqliteStore::write_chunk(const WriteBatch& batch, size_t first, size_t last,
                                bool with_rest) {
  Transaction tx(*writer_);
  ENVMON_TRY(tx.begin());
  ENVMON_TRY(write_readings(batch, first, last));
  ENVMON_TRY(write_latest_and_progress(batch, first, last));
  if (with_rest) {
    ENVMON_TRY(write_aggregates(batch.aggregates));
    ENVMON_TRY(write_dead_letters(batch.dead_letters));
  }
  return tx.commit();
}

Status SqliteStore::write_readings(const WriteBatch& batch, size_t first, size_t last) {
  auto st = writer_->prepare(kUpsertMeasurement);
  if (!st.ok()) return st.error();
  for (size_t i = first; i < last; ++i) {
    const Reading& r = batch.readings[i];
    for (const Measurement& m : r.measurements) {
      bind_measurement(*st, r, m);
      if (Status s = st->run(); !s.ok()) {
        return s.error().with_context("reading " + r.station.id.get() + "/" +
                                      std::string(metric_id(m.metric)) + " at " +
                                      format_rfc3339(r.observed_at));
      }
    }
  }
  return ok_status();
}

// The chunk reduced in memory (store/batch_reduce.h), so `latest` and `source_progress` cost
// one upsert per series, not per row.
Status SqliteStore::write_latest_and_progress(const WriteBatch& batch, size_t first, size_t last) {
  auto lt = writer_->prepare(kUpsertLatest);
  if (!lt.ok()) return lt.error();
  for (const RowRef& row : newest_per_series(batch, first, last)) {
    bind_measurement(*lt, *row.reading, *row.measurement);
    // kUpsertLatest orders columns (station, metric, source, observed_at): rebind 3 and 4.
    lt->bind(3, std::string_view(row.reading->source.get()));
    lt->bind(4, to_unix_ms(row.reading->observed_at));
    ENVMON_TRY(lt->run());
  }
  auto pg = writer_->prepare(kUpsertProgress);
  if (!pg.ok()) return pg.error();
  for (const Reading* r : newest_ingest_per_station(batch, first, last)) {
    pg->bind(1, std::string_view(r->source.get()));
    pg->bind(2, std::string_view(r->station.id.get()));
    pg->bind(3, to_unix_ms(r->ingested_at));
    ENVMON_TRY(pg->run());
  }
  return ok_status();
}

Status SqliteStore::write_aggregates(const std::vector<Aggregate>& aggregates) {
  if (aggregates.empty()) return ok_status();
  auto st = writer_->prepare(kUpsertAggregate);
  if (!st.ok()) return st.error();
  for (const Aggregate& a : aggregates) {
    st->bind(1, std::string_view(a.station.get()));
    st->bind(2, metric_id(a.metric));
    st->bind(3, to_unix_ms(a.bucket_start));
    st->bind(4, std::string_view(a.source.get()));
    st->bind(5, static_cast<int64_t>(a.bucket.count()));
    st->bind_real(6, a.mean);
    st->bind_real(7, a.min);
    st->bind_real(8, a.max);
    st->bind(9, a.count);
    st->bind(10, static_cast<int64_t>(a.revision));
    st->bind(11, std::string_view(a.dominant));
    if (Status s = st->run(); !s.ok()) {
      return s.error().with_context("aggregate " + a.station.get() + "/" +
                                    std::string(metric_id(a.metric)));
    }
  }
  return ok_status();
}

Status SqliteStore::write_dead_letters(const std::vector<DeadLetter>& dead_letters) {
  if (dead_letters.empty()) return ok_status();
  auto st = writer_->prepare(kInsertDeadLetter);
  if (!st.ok()) return st.error();
  for (const DeadLetter& d : dead_letters) {
    st->bind(1, std::string_view(d.stage));
    st->bind(2, std::string_view(d.error_code));
    st->bind(3, std::string_view(d.reason));
    st->bind(4, std::string_view(d.topic));
    st->bind(5, std::string_view(d.key));
    st->bind(6, std::string_view(d.payload));
    st->bind(7, to_unix_ms(d.at));
    ENVMON_TRY(st->run());
  }
  return ok_status();
}

std::unique_ptr<Store> make_sqlite_store(const SqliteStoreConfig& config) {
  return std::make_unique<SqliteStore>(config);
}

}  // namespace envmon::store::sqlite
