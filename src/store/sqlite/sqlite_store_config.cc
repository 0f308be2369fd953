#include "store/sqlite/sqlite_store_config.h"

#include <filesystem>

namespace envmon::store::sqlite {

const config::Schema<SqliteStoreConfig>& sqlite_store_schema() {
  static const config::Schema<SqliteStoreConfig> schema = [] {
    config::Schema<SqliteStoreConfig> s("store.sqlite");
    s.string("path", &SqliteStoreConfig::path, std::string("envmon.db"),
             "Database file; a relative path is resolved against data_dir")
        .integer("busy_timeout_ms", &SqliteStoreConfig::busy_timeout_ms, 5000, "ms", 0, 600000,
                 "How long a connection waits for a lock before the write is retried by the sink")
        .enumeration(
            "synchronous", &SqliteStoreConfig::synchronous, Synchronous::normal,
            {{"normal", Synchronous::normal}, {"full", Synchronous::full}},
            "normal: WAL commits survive crashes, the last ones may be lost on power loss; "
            "full: fsync every commit")
        .integer("read_connections", &SqliteStoreConfig::read_connections, 4, "", 1, 64,
                 "Reader connections for API queries; they read while the sink writes (WAL)")
        .integer("max_rows_per_transaction", &SqliteStoreConfig::max_rows_per_transaction, 50000,
                 "rows", 100, 10000000,
                 "Larger write batches are committed in several transactions (idempotent upserts)")
        .integer("cache_size_kib", &SqliteStoreConfig::cache_size_kib, 16384, "KiB", 256, 4194304,
                 "Page cache per connection")
        .integer("wal_autocheckpoint_pages", &SqliteStoreConfig::wal_autocheckpoint_pages, 16000,
                 "pages", 0, 10000000, "WAL size that triggers a checkpoint (0: never automatic)")
        .integer("raw_retention_days", &SqliteStoreConfig::raw_retention_days, 0, "days", 0, 36500,
                 "Raw measurements older than this are deleted by the retention job (0: kept); "
                 "hourly aggregates are kept for ever")
        .integer("retention_interval_secs", &SqliteStoreConfig::retention_interval_secs, 3600,
                 "s", 60, 604800, "How often the retention job runs");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> sqlite_store_schema_docs() {
  return {{"store.sqlite",
           "Embedded SQLite store: measurements, hourly aggregates, stations, dead letters (WAL, "
           "one writer, a pool of readers)",
           sqlite_store_schema().specs()}};
}

Result<SqliteStoreConfig> parse_sqlite_store_config(const config::Node& settings) {
  SqliteStoreConfig out;
  ENVMON_TRY(config::fill(settings, sqlite_store_schema(), out));
  if (out.path.empty()) {
    return settings.child("path").error(Errc::config_bad_value, "must not be empty");
  }
  return out;
}

Result<std::unique_ptr<Store>> make_sqlite_store(const config::Node& settings,
                                                 const std::string& data_dir) {
  auto cfg = parse_sqlite_store_config(settings);
  if (!cfg.ok()) return cfg.error();
  const std::filesystem::path p(cfg->path);
  if (p.is_relative() && cfg->path != ":memory:") {
    cfg->path = (std::filesystem::path(data_dir) / p).lexically_normal().string();
  }
  return make_sqlite_store(*cfg);
}

}  // namespace envmon::store::sqlite
