#include "store/postgres/pg_migrations.h"

#include <string>

namespace envmon::store::postgres {
namespace {

// Shared by both layouts: stations, latest, progress, aggregates, dead letters, analytics and
// room for alerts and model metadata. Times are timestamptz (psql shows them as they are).
constexpr std::string_view kCommon = R"sql(
CREATE TABLE stations (
  id text PRIMARY KEY, name text NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL,
  timezone text NOT NULL, region text NOT NULL);
CREATE TABLE latest (
  station_id text NOT NULL, metric text NOT NULL, source text NOT NULL,
  observed_at timestamptz NOT NULL, value float8, raw float8, flags int4 NOT NULL,
  ingested_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, metric, source));
CREATE TABLE source_progress (
  source text NOT NULL, station_id text NOT NULL, max_ingested_at timestamptz NOT NULL,
  PRIMARY KEY (source, station_id));
CREATE TABLE aggregates_hourly (
  station_id text NOT NULL CHECK (station_id <> ''), metric text NOT NULL,
  bucket_start timestamptz NOT NULL, source text NOT NULL CHECK (source <> ''),
  bucket_secs int4 NOT NULL, mean float8, min float8, max float8, count int8 NOT NULL,
  revision int4 NOT NULL, dominant text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, metric, bucket_start, source));
CREATE INDEX aggregates_hourly_updated ON aggregates_hourly (updated_at);
CREATE TABLE dead_letters (
  id bigserial PRIMARY KEY, stage text NOT NULL, error_code text NOT NULL, reason text NOT NULL,
  topic text NOT NULL, key text NOT NULL, payload bytea NOT NULL, at timestamptz NOT NULL);
-- A re-delivered dead letter is the same row (hashes keep long payloads out of the index).
CREATE UNIQUE INDEX dead_letters_identity
  ON dead_letters (at, topic, key, stage, md5(reason), md5(payload));
CREATE TABLE anomalies (
  station_id text NOT NULL CHECK (station_id <> ''), metric text NOT NULL,
  at timestamptz NOT NULL, detector text NOT NULL CHECK (detector <> ''),
  score float8 NOT NULL, value float8, explanation json NOT NULL,
  PRIMARY KEY (station_id, metric, at, detector));
CREATE INDEX anomalies_at ON anomalies (at);
CREATE INDEX anomalies_station_at ON anomalies (station_id, at);
CREATE TABLE cluster_labels (
  station_id text NOT NULL CHECK (station_id <> ''), model text NOT NULL CHECK (model <> ''),
  cluster int4 NOT NULL, silhouette float8 NOT NULL, computed_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, model));
CREATE INDEX cluster_labels_computed_at ON cluster_labels (computed_at);
CREATE TABLE alerts (
  id bigserial PRIMARY KEY, station_id text NOT NULL, metric text NOT NULL,
  at timestamptz NOT NULL, kind text NOT NULL, severity text NOT NULL, message text NOT NULL,
  resolved_at timestamptz, UNIQUE (station_id, metric, at, kind));
CREATE TABLE model_metadata (
  name text NOT NULL, version int4 NOT NULL, kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), metrics jsonb NOT NULL DEFAULT '{}',
  artifact text NOT NULL DEFAULT '', PRIMARY KEY (name, version));
-- Raw rows before raw_horizon were removed by retention; daily_watermark: hourly rows updated
-- after it still have to be downsampled.
CREATE TABLE retention (
  id int4 PRIMARY KEY CHECK (id = 1), raw_horizon timestamptz NOT NULL DEFAULT 'epoch',
  daily_watermark timestamptz NOT NULL DEFAULT 'epoch');
INSERT INTO retention (id) VALUES (1);
)sql";

// Native: measurements range-partitioned by observed_at (partitions created by envmon), daily
// aggregates a table the downsampling job fills from the hourly ones.
constexpr std::string_view kNative = R"sql(
CREATE TABLE measurements (
  station_id text NOT NULL CHECK (station_id <> ''), metric text NOT NULL,
  observed_at timestamptz NOT NULL, source text NOT NULL CHECK (source <> ''),
  value float8, raw float8, flags int4 NOT NULL, ingested_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, metric, observed_at, source)
) PARTITION BY RANGE (observed_at);
CREATE TABLE aggregates_daily (
  station_id text NOT NULL, metric text NOT NULL, day timestamptz NOT NULL, source text NOT NULL,
  mean float8, min float8, max float8, count int8 NOT NULL,
  PRIMARY KEY (station_id, metric, day, source));
)sql";

// TimescaleDB: hypertables (chunks instead of partitions), compression of chunks older than a
// week segmented by series, and daily aggregates as a continuous aggregate of the hourly ones.
constexpr std::string_view kTimescale = R"sql(
CREATE EXTENSION IF NOT EXISTS timescaledb;
CREATE TABLE measurements (
  station_id text NOT NULL CHECK (station_id <> ''), metric text NOT NULL,
  observed_at timestamptz NOT NULL, source text NOT NULL CHECK (source <> ''),
  value float8, raw float8, flags int4 NOT NULL, ingested_at timestamptz NOT NULL,
  PRIMARY KEY (station_id, metric, observed_at, source));
SELECT create_hypertable('measurements', 'observed_at', chunk_time_interval => interval '1 day');
ALTER TABLE measurements SET (timescaledb.compress,
  timescaledb.compress_segmentby = 'station_id, metric', timescaledb.compress_orderby = 'observed_at');
SELECT add_compression_policy('measurements', interval '7 days');
SELECT create_hypertable('aggregates_hourly', 'bucket_start', chunk_time_interval => interval '30 days');
CREATE MATERIALIZED VIEW aggregates_daily WITH (timescaledb.continuous) AS
  SELECT station_id, metric, time_bucket(interval '1 day', bucket_start) AS day, source,
         sum(mean * count) / nullif(sum(count), 0) AS mean, min(min) AS min, max(max) AS max,
         sum(count)::int8 AS count
  FROM aggregates_hourly WHERE count > 0 AND mean IS NOT NULL
  GROUP BY station_id, metric, time_bucket(interval '1 day', bucket_start), source
  WITH NO DATA;
SELECT add_continuous_aggregate_policy('aggregates_daily', start_offset => NULL,
  end_offset => interval '1 hour', schedule_interval => interval '1 hour');
)sql";

// Closed partitions clustered by their primary key (one series' rows on few pages).
constexpr std::string_view kV3 = R"sql(
CREATE TABLE partition_maintenance (
  partition text PRIMARY KEY, clustered_at timestamptz NOT NULL DEFAULT now());
)sql";

// Measurements and latest keyed by series id (pg_series.h): `series` names every (station,
// metric, source); the rows move over partition by partition (same names and bounds), and
// `measurements_named` and `latest_named` show them with their names. No foreign key: a per-row check would cost COPY what the
// narrower key saves; the writer registers a series before its first row.
#define ENVMON_SERIES_TABLE \
  "CREATE TABLE series (" \
  "  id int4 GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY," \
  "  station_id text NOT NULL CHECK (station_id <> ''), metric text NOT NULL," \
  "  source text NOT NULL CHECK (source <> ''), UNIQUE (station_id, metric, source));" \
  "INSERT INTO series (station_id, metric, source) SELECT station_id, metric, source " \
  "  FROM measurements UNION SELECT station_id, metric, source FROM latest ORDER BY 1, 2, 3;" \
  "ALTER TABLE latest RENAME TO latest_v3;" \
  "ALTER INDEX latest_pkey RENAME TO latest_v3_pkey;" \
  "CREATE TABLE latest (" \
  "  series_id int4 PRIMARY KEY, observed_at timestamptz NOT NULL, value float8, raw float8," \
  "  flags int4 NOT NULL, ingested_at timestamptz NOT NULL);" \
  "INSERT INTO latest SELECT s.id, l.observed_at, l.value, l.raw, l.flags, l.ingested_at " \
  "  FROM latest_v3 l JOIN series s USING (station_id, metric, source);" \
  "DROP TABLE latest_v3;" \
  "CREATE VIEW latest_named AS SELECT s.station_id, s.metric, s.source, l.observed_at, " \
  "  l.value, l.raw, l.flags, l.ingested_at, l.series_id FROM latest l " \
  "  JOIN series s ON s.id = l.series_id;" \
  "ALTER TABLE measurements RENAME TO measurements_v3;"
#define ENVMON_SERIES_MEASUREMENTS \
  "CREATE TABLE measurements (" \
  "  series_id int4 NOT NULL, observed_at timestamptz NOT NULL, value float8, raw float8," \
  "  flags int4 NOT NULL, ingested_at timestamptz NOT NULL, PRIMARY KEY (series_id, observed_at))"
#define ENVMON_SERIES_MOVE_ROWS \
  "INSERT INTO measurements SELECT s.id, m.observed_at, m.value, m.raw, m.flags, m.ingested_at " \
  "  FROM measurements_v3 m JOIN series s USING (station_id, metric, source);" \
  "DROP TABLE measurements_v3;" \
  "CREATE VIEW measurements_named AS SELECT s.station_id, s.metric, m.observed_at, s.source, " \
  "  m.value, m.raw, m.flags, m.ingested_at, m.series_id FROM measurements m " \
  "  JOIN series s ON s.id = m.series_id;"

constexpr std::string_view kV4Native =
    ENVMON_SERIES_TABLE "ALTER INDEX measurements_pkey RENAME TO measurements_v3_pkey;"
    ENVMON_SERIES_MEASUREMENTS " PARTITION BY RANGE (observed_at);" R"sql(
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'measurements_v3'::regclass LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p.name, p.name || '_v3');
    EXECUTE format('ALTER INDEX IF EXISTS %I RENAME TO %I', p.name || '_pkey', p.name || '_v3_pkey');
    EXECUTE format('CREATE TABLE %I PARTITION OF measurements %s', p.name, p.bound);
  END LOOP;
END $$;
)sql" ENVMON_SERIES_MOVE_ROWS;

constexpr std::string_view kV4Timescale =
    ENVMON_SERIES_TABLE ENVMON_SERIES_MEASUREMENTS ";" R"sql(
SELECT create_hypertable('measurements', 'observed_at', chunk_time_interval => interval '1 day');
ALTER TABLE measurements SET (timescaledb.compress, timescaledb.compress_segmentby = 'series_id',
  timescaledb.compress_orderby = 'observed_at');
SELECT add_compression_policy('measurements', interval '7 days');
)sql" ENVMON_SERIES_MOVE_ROWS;

std::string lock_sql() { return "SELECT pg_advisory_xact_lock(7412251001)"; }

}  // namespace

const std::vector<PgMigration>& pg_migrations() {
  static const std::vector<PgMigration> list = {
      {1, "measurements and daily aggregates", kNative, kTimescale},
      {2, "stations, latest, aggregates, dead letters, analytics, alerts, models, retention",
       kCommon, ""},
      {3, "partition maintenance", kV3, ""},
      {4, "measurements and latest keyed by series id", kV4Native, kV4Timescale},
  };
  return list;
}

Result<int> pg_migrate(PgConnection& c, bool timescale) {
  int applied = 0;
  Status s = in_transaction(c, [&](PgConnection& tx) -> Status {
    // One migrating process at a time; the others wait and then find nothing to do.
    if (Status l = tx.exec(lock_sql()); !l.ok()) return l;
    if (Status t = tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version int4 PRIMARY "
                           "KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
                           "now())");
        !t.ok()) {
      return t;
    }
    auto cur = tx.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", Params());
    if (!cur.ok()) return cur.error();
    const int64_t current = cur->int64(0, 0);
    for (const PgMigration& m : pg_migrations()) {
      if (m.version <= current) continue;
      const std::string_view sql = timescale && !m.timescale.empty() ? m.timescale : m.native;
      if (Status e = tx.exec(std::string(sql)); !e.ok()) {
        return Error(Errc::store_schema, "migration " + std::to_string(m.version) + " (" +
                                             std::string(m.name) + "): " + e.error().message());
      }
      Params p;
      p.add(static_cast<int64_t>(m.version)).add(std::string(m.name));
      if (Status r = tx.command("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", p);
          !r.ok()) {
        return r;
      }
      ++applied;
    }
    return ok_status();
  });
  if (!s.ok()) return s.error();
  return applied;
}

}  // namespace envmon::store::postgres
