#include "store/postgres/pg_store.h"

#include <algorithm>

#include "core/clock.h"
#include "store/batch_reduce.h"
#include "store/postgres/pg_copy.h"
#include "store/postgres/pg_migrations.h"

namespace envmon::store::postgres {
namespace {

// Session-local staging tables (no WAL, emptied at every commit), created once per connection.
constexpr const char* kStagingSql = R"sql(
SET temp_buffers = '64MB';
CREATE TEMP TABLE IF NOT EXISTS stage_measurements (
  station_id text, metric text, observed_at timestamptz, source text, value float8, raw float8,
  flags int4, ingested_at timestamptz) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_latest (LIKE stage_measurements) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_progress (
  source text, station_id text, max_ingested_at timestamptz) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_aggregates (
  station_id text, metric text, bucket_start timestamptz, source text, bucket_secs int4,
  mean float8, min float8, max float8, count int8, revision int4, dominant text)
  ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_dead_letters (
  stage text, error_code text, reason text, topic text, key text, payload bytea,
  at timestamptz) ON COMMIT DELETE ROWS;
)sql";

// New rows (the common case) go in by a plain INSERT, as fast as COPY into the table; when any
// key exists already (a replay, a revision) it fails on the first one and the merge runs.
constexpr const char* kInsertNewMeasurements =
    "SAVEPOINT fresh; INSERT INTO measurements SELECT * FROM stage_measurements";
constexpr const char* kUniqueViolation = "23505";

// Merges: an unchanged row is not rewritten (IS DISTINCT FROM), so a replay writes nothing.
constexpr const char* kMergeMeasurements =
    "INSERT INTO measurements AS m SELECT * FROM stage_measurements "
    "ON CONFLICT (station_id, metric, observed_at, source) DO UPDATE SET value = excluded.value, "
    "raw = excluded.raw, flags = excluded.flags, ingested_at = excluded.ingested_at "
    "WHERE (m.value, m.raw, m.flags, m.ingested_at) IS DISTINCT FROM "
    "(excluded.value, excluded.raw, excluded.flags, excluded.ingested_at)";
constexpr const char* kMergeLatest =
    "INSERT INTO latest AS l (station_id, metric, source, observed_at, value, raw, flags, "
    "ingested_at) SELECT station_id, metric, source, observed_at, value, raw, flags, ingested_at "
    "FROM stage_latest ON CONFLICT (station_id, metric, source) DO UPDATE SET "
    "observed_at = excluded.observed_at, value = excluded.value, raw = excluded.raw, "
    "flags = excluded.flags, ingested_at = excluded.ingested_at "
    "WHERE excluded.observed_at >= l.observed_at AND (l.observed_at, l.value, l.raw, l.flags, "
    "l.ingested_at) IS DISTINCT FROM (excluded.observed_at, excluded.value, excluded.raw, "
    "excluded.flags, excluded.ingested_at)";
constexpr const char* kMergeProgress =
    "INSERT INTO source_progress AS p SELECT * FROM stage_progress "
    "ON CONFLICT (source, station_id) DO UPDATE SET max_ingested_at = excluded.max_ingested_at "
    "WHERE excluded.max_ingested_at > p.max_ingested_at";
constexpr const char* kMergeAggregates =
    "INSERT INTO aggregates_hourly AS a (station_id, metric, bucket_start, source, bucket_secs, "
    "mean, min, max, count, revision, dominant) SELECT * FROM stage_aggregates "
    "ON CONFLICT (station_id, metric, bucket_start, source) DO UPDATE SET "
    "bucket_secs = excluded.bucket_secs, mean = excluded.mean, min = excluded.min, "
    "max = excluded.max, count = excluded.count, revision = excluded.revision, "
    "dominant = excluded.dominant, updated_at = now() "
    "WHERE (a.bucket_secs, a.mean, a.min, a.max, a.count, a.revision, a.dominant) IS DISTINCT "
    "FROM (excluded.bucket_secs, excluded.mean, excluded.min, excluded.max, excluded.count, "
    "excluded.revision, excluded.dominant)";
constexpr const char* kMergeDeadLetters =
    "INSERT INTO dead_letters (stage, error_code, reason, topic, key, payload, at) "
    "SELECT * FROM stage_dead_letters ON CONFLICT DO NOTHING";
constexpr const char* kUpsertStation =
    "INSERT INTO stations (id, name, lat, lon, timezone, region) VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon, "
    "timezone = excluded.timezone, region = excluded.region";

void encode_row(CopyEncoder& e, const Reading& r, const Measurement& m) {
  e.begin_row(8);
  e.text(r.station.id.get());
  e.text(metric_id(m.metric));
  e.timestamptz(r.observed_at);
  e.text(r.source.get());
  e.float8(m.value);
  e.float8(m.raw);
  e.int4(m.flags);
  e.timestamptz(r.ingested_at);
  e.count_row();
}

std::string encode_measurements(const std::vector<RowRef>& rows) {
  CopyEncoder e;
  for (const RowRef& row : rows) encode_row(e, *row.reading, *row.measurement);
  return e.finish();
}

std::string encode_progress(const std::vector<const Reading*>& readings) {
  CopyEncoder e;
  for (const Reading* r : readings) {
    e.begin_row(3);
    e.text(r->source.get());
    e.text(r->station.id.get());
    e.timestamptz(r->ingested_at);
  }
  return e.finish();
}

std::string encode_aggregates(const std::vector<const Aggregate*>& aggregates) {
  CopyEncoder e;
  for (const Aggregate* a : aggregates) {
    e.begin_row(11);
    e.text(a->station.get());
    e.text(metric_id(a->metric));
    e.timestamptz(a->bucket_start);
    e.text(a->source.get());
    e.int4(static_cast<int32_t>(a->bucket.count()));
    e.float8(a->mean);
    e.float8(a->min);
    e.float8(a->max);
    e.int8(a->count);
    e.int4(a->revision);
    e.text(a->dominant);
  }
  return e.finish();
}

std::string encode_dead_letters(const std::vector<DeadLetter>& dead_letters) {
  CopyEncoder e;
  for (const DeadLetter& d : dead_letters) {
    e.begin_row(7);
    // A dead letter is often about bad bytes: its text fields are made storable.
    e.text(storable_text(d.stage));
    e.text(storable_text(d.error_code));
    e.text(storable_text(d.reason));
    e.text(storable_text(d.topic));
    e.text(storable_text(d.key));
    e.bytea(d.payload);
    e.timestamptz(d.at);
  }
  return e.finish();
}

// Measurements: binary COPY into staging, then the optimistic insert or the merge.
Status copy_measurements(PgConnection& c, const std::string& data) {
  ENVMON_TRY(c.copy_in("COPY stage_measurements FROM STDIN (FORMAT binary)", data));
  auto fresh = c.exec_tolerating(kInsertNewMeasurements, kUniqueViolation);
  if (!fresh.ok()) return fresh.error();
  if (*fresh) return c.exec("RELEASE SAVEPOINT fresh");
  ENVMON_TRY(c.exec("ROLLBACK TO SAVEPOINT fresh"));
  return c.exec(kMergeMeasurements);
}

// COPY `data` into `stage` and run `merge`; nothing when there are no rows.
Status copy_merge(PgConnection& c, const char* stage, const std::string& data, bool empty,
                  const char* merge) {
  if (empty) return ok_status();
  ENVMON_TRY(c.copy_in(std::string("COPY ") + stage + " FROM STDIN (FORMAT binary)", data));
  return c.exec(merge);
}

}  // namespace

Status PgStore::open() {
  pool_.configure(config_.dsn, config_.password, config_.pool_size, config_.connect_timeout_secs);
  {  // the lease goes back before ensure_partitions takes one (pool_size may be 1)
    auto c = pool_.acquire();
    if (!c.ok()) return c.error();
    auto ts = detect_timescale(**c);
    if (!ts.ok()) return ts.error();
    timescale_ = *ts;
    auto applied = pg_migrate(**c, timescale_);
    if (!applied.ok()) return applied.error();
    migrations_applied_ = *applied;
    if (timescale_) return ok_status();
    ENVMON_TRY(load_partitions(**c));
  }
  const Timestamp now = SystemClock().now();
  return ensure_partitions(now - Millis(partition_width_ms()),
                           now + Millis(partition_width_ms() * config_.partitions_ahead));
}

Result<bool> PgStore::detect_timescale(PgConnection& c) {
  if (config_.timescale == TimescaleMode::off) return false;
  auto rows = c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'", Params());
  if (!rows.ok()) return rows.error();
  if (rows->size() > 0) return true;
  if (config_.timescale == TimescaleMode::on) {
    return Error(Errc::store_schema,
                 "store.postgres.timescale is 'on' but the server has no timescaledb extension");
  }
  return false;
}

void PgStore::close() { pool_.close(); }

std::optional<RetentionPolicy> PgStore::retention_policy() const {
  if (config_.raw_retention_days <= 0) return std::nullopt;
  return RetentionPolicy{config_.raw_retention_days, Seconds(config_.retention_interval_secs)};
}

Status PgStore::prepare_session(PgConnection& c) {
  if (c.staging_ready) return ok_status();
  ENVMON_TRY(c.exec(kStagingSql));
  c.staging_ready = true;
  return ok_status();
}

Status PgStore::upsert_stations(const std::vector<config::StationConfig>& stations) {
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  return in_transaction(**c, [&](PgConnection& tx) -> Status {
    for (const auto& s : stations) {
      Params p;
      p.add(s.id).add(s.name).add_real(s.lat).add_real(s.lon);
      p.add(s.timezone).add(s.region);
      ENVMON_TRY(tx.command(kUpsertStation, p));
    }
    return ok_status();
  });
}

Status PgStore::write(const WriteBatch& batch) {
  if (batch.size() == 0) return ok_status();
  ENVMON_TRY(ensure_partitions_for(batch));
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  ENVMON_TRY(prepare_session(**c));
  return merge_batch(**c, batch);
}

// Encodes everything first, then one transaction of COPY + merge per table.
Status PgStore::merge_batch(PgConnection& c, const WriteBatch& batch) {
  const size_t n = batch.readings.size();
  const std::string rows = encode_measurements(unique_rows(batch, 0, n));
  const std::string latest = encode_measurements(newest_per_series(batch, 0, n));
  const std::string progress = encode_progress(newest_ingest_per_station(batch, 0, n));
  const std::string aggregates = encode_aggregates(unique_aggregates(batch.aggregates));
  const std::string dead = encode_dead_letters(batch.dead_letters);
  const bool no_readings = n == 0;
  return in_transaction(c, [&](PgConnection& tx) -> Status {
    if (!no_readings) ENVMON_TRY(copy_measurements(tx, rows));
    ENVMON_TRY(copy_merge(tx, "stage_latest", latest, no_readings, kMergeLatest));
    ENVMON_TRY(copy_merge(tx, "stage_progress", progress, no_readings, kMergeProgress));
    ENVMON_TRY(copy_merge(tx, "stage_aggregates", aggregates, batch.aggregates.empty(),
                          kMergeAggregates));
    return copy_merge(tx, "stage_dead_letters", dead, batch.dead_letters.empty(),
                      kMergeDeadLetters);
  });
}

std::unique_ptr<Store> make_pg_store(const PgStoreConfig& config) {
  return std::make_unique<PgStore>(config);
}

}  // namespace envmon::store::postgres
