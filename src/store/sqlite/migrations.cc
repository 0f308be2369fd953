#include "store/sqlite/migrations.h"

#include <string>

namespace envmon::store::sqlite {
namespace {

// Times are unix milliseconds (INTEGER); metrics are their catalogue ids ("pm25"). A masked value
// is a NULL `value` with `raw` keeping what arrived.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE stations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  timezone TEXT NOT NULL,
  region TEXT NOT NULL
);
CREATE TABLE measurements (
  station_id TEXT NOT NULL CHECK (length(station_id) > 0),
  metric TEXT NOT NULL,
  observed_at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (length(source) > 0),
  value REAL,
  raw REAL,
  flags INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, metric, observed_at, source)
) WITHOUT ROWID;
CREATE TABLE latest (
  station_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  source TEXT NOT NULL,
  observed_at INTEGER NOT NULL,
  value REAL,
  raw REAL,
  flags INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, metric, source)
) WITHOUT ROWID;
CREATE TABLE aggregates (
  station_id TEXT NOT NULL CHECK (length(station_id) > 0),
  metric TEXT NOT NULL,
  bucket_start INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (length(source) > 0),
  bucket_secs INTEGER NOT NULL,
  mean REAL,
  min REAL,
  max REAL,
  count INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  dominant TEXT NOT NULL,
  PRIMARY KEY (station_id, metric, bucket_start, source)
) WITHOUT ROWID;
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  stage TEXT NOT NULL,
  error_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  payload BLOB NOT NULL,
  at INTEGER NOT NULL
);
-- A re-delivered dead letter is the same row: replays stay idempotent.
CREATE UNIQUE INDEX dead_letters_identity ON dead_letters (at, topic, key, stage, reason, payload);
CREATE TABLE source_progress (
  source TEXT NOT NULL,
  station_id TEXT NOT NULL,
  max_ingested_at INTEGER NOT NULL,
  PRIMARY KEY (source, station_id)
) WITHOUT ROWID;
)sql";

// The table holds hourly aggregates only; the name says so (and reporting SQL uses it).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE aggregates RENAME TO aggregates_hourly;
)sql";

// Analytics results (issue 5/6): anomalies keyed by (station, metric, at, detector) and cluster
// labels by (station, model), so re-running a detector or a clustering job rewrites, never adds.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE anomalies (
  station_id TEXT NOT NULL CHECK (length(station_id) > 0),
  metric TEXT NOT NULL,
  at INTEGER NOT NULL,
  detector TEXT NOT NULL CHECK (length(detector) > 0),
  score REAL NOT NULL,
  value REAL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (station_id, metric, at, detector)
) WITHOUT ROWID;
CREATE INDEX anomalies_at ON anomalies (at);
CREATE INDEX anomalies_station_at ON anomalies (station_id, at);
CREATE TABLE cluster_labels (
  station_id TEXT NOT NULL CHECK (length(station_id) > 0),
  model TEXT NOT NULL CHECK (length(model) > 0),
  cluster INTEGER NOT NULL,
  silhouette REAL NOT NULL,
  computed_at INTEGER NOT NULL,
  PRIMARY KEY (station_id, model)
) WITHOUT ROWID;
CREATE INDEX cluster_labels_computed_at ON cluster_labels (computed_at);
-- Raw rows before raw_horizon were deleted by retention; queries answer from aggregates there.
CREATE TABLE retention (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  raw_horizon INTEGER NOT NULL
);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "initial schema", kV1},
      {2, "rename aggregates to aggregates_hourly", kV2},
      {3, "anomalies, cluster labels, retention horizon", kV3},
  };
  return list;
}

Result<int> migrate(Connection& db) {
  ENVMON_TRY(db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, "
      "applied_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER) * 1000))"));
  auto current_stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current_stmt.ok()) return current_stmt.error();
  auto row = current_stmt->step();
  if (!row.ok()) return row.error();
  const int64_t current = current_stmt->col_int(0);
  current_stmt->reset();
  int applied = 0;
  for (const Migration& m : migrations()) {
    if (m.version <= current) continue;
    Transaction tx(db);
    ENVMON_TRY(tx.begin());
    if (Status s = db.exec(std::string(m.sql)); !s.ok()) {
      return Error(Errc::store_schema, "migration " + std::to_string(m.version) + " (" +
                                           std::string(m.name) + "): " + s.error().message());
    }
    auto rec = db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
    if (!rec.ok()) return rec.error();
    rec->bind(1, static_cast<int64_t>(m.version));
    rec->bind(2, m.name);
    ENVMON_TRY(rec->run());
    ENVMON_TRY(tx.commit());
    ++applied;
  }
  return applied;
}

}  // namespace envmon::store::sqlite
