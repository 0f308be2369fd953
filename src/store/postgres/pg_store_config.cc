#include "store/postgres/pg_store_config.h"

namespace envmon::store::postgres {

const config::Schema<PgStoreConfig>& pg_store_schema() {
  static const config::Schema<PgStoreConfig> schema = [] {
    config::Schema<PgStoreConfig> s("store.postgres");
    s.string("dsn", &PgStoreConfig::dsn,
             std::string("host=127.0.0.1 port=5432 dbname=envmon user=envmon"),
             "libpq connection string without the password")
        .string("password", &PgStoreConfig::password, std::string(),
                "Password of the DSN's user; set it from the environment "
                "(${ENVMON_PG_PASSWORD}); empty: libpq's PGPASSWORD or .pgpass",
                true)
        .integer("pool_size", &PgStoreConfig::pool_size, 4, "", 1, 64,
                 "Connections shared by the sink's writes and the API's queries")
        .integer("write_connections", &PgStoreConfig::write_connections, 2, "connections", 1,
                 64, "A batch of at least 5,000 rows per connection is split by station over "
                 "this many idle pooled connections, each share its own transaction (the write "
                 "is acknowledged when all committed); at most pool_size")
        .integer("connect_timeout_secs", &PgStoreConfig::connect_timeout_secs, 5, "s", 1, 300,
                 "How long one connection attempt waits before the write is retried")
        .enumeration("partition_interval", &PgStoreConfig::partition_interval,
                     PartitionInterval::day,
                     {{"day", PartitionInterval::day}, {"week", PartitionInterval::week}},
                     "Width of a raw measurements partition (or TimescaleDB chunk)")
        .integer("partitions_ahead", &PgStoreConfig::partitions_ahead, 7, "partitions", 1, 366,
                 "Partitions created ahead of now (late and backfilled data get theirs on demand)")
        .enumeration("timescale", &PgStoreConfig::timescale, TimescaleMode::auto_detect,
                     {{"auto", TimescaleMode::auto_detect},
                      {"on", TimescaleMode::on},
                      {"off", TimescaleMode::off}},
                     "auto: hypertables, compression and continuous aggregates when the "
                     "timescaledb extension is available; off: native partitions")
        .integer("raw_retention_days", &PgStoreConfig::raw_retention_days, 0, "days", 0, 36500,
                 "Raw measurements older than this are dropped by the retention job (0: kept); "
                 "hourly and daily aggregates are kept for ever")
        .integer("retention_interval_secs", &PgStoreConfig::retention_interval_secs, 3600, "s",
                 60, 604800, "How often the retention and downsampling job runs");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> pg_store_schema_docs() {
  return {{"store.postgres",
           "PostgreSQL store: time-partitioned measurements (or TimescaleDB hypertables), hourly "
           "and daily aggregates, binary COPY with an idempotent merge, retention",
           pg_store_schema().specs()}};
}

Result<PgStoreConfig> parse_pg_store_config(const config::Node& settings) {
  PgStoreConfig out;
  ENVMON_TRY(config::fill(settings, pg_store_schema(), out));
  if (out.dsn.empty()) return settings.child("dsn").error(Errc::config_bad_value, "must not be empty");
  if (out.dsn.find("password=") != std::string::npos) {
    return settings.child("dsn").error(Errc::config_bad_value,
                                       "must not carry the password; use the password key");
  }
  // A write holds its connections at once: more than the pool has could never be had.
  if (out.write_connections > out.pool_size) {
    return settings.child("write_connections")
        .error(Errc::config_bad_value,
               "write_connections (" + std::to_string(out.write_connections) +
                   ") must not exceed pool_size (" + std::to_string(out.pool_size) + ")");
  }
  return out;
}

Result<std::unique_ptr<Store>> make_pg_store(const config::Node& settings) {
  auto cfg = parse_pg_store_config(settings);
  if (!cfg.ok()) return cfg.error();
  return make_pg_store(*cfg);
}

}  // namespace envmon::store::postgres
