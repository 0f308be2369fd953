#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "store/store.h"

namespace envmon::store::postgres {

// How raw measurements are split by time. Without TimescaleDB: native declarative range
// partitions of this width, created ahead by envmon; with it: the hypertable's chunk interval.
enum class PartitionInterval { day, week };
// auto: hypertables when the timescaledb extension is available, native partitions otherwise.
enum class TimescaleMode { auto_detect, on, off };

struct PgStoreConfig {
  std::string dsn = "host=127.0.0.1 port=5432 dbname=envmon user=envmon";
  std::string password;  // secret: from the environment (${ENVMON_PG_PASSWORD}), never logged
  int64_t pool_size = 4;
  int64_t write_connections = 2;  // a large batch is split by station over this many
  int64_t connect_timeout_secs = 5;
  PartitionInterval partition_interval = PartitionInterval::day;
  int64_t partitions_ahead = 7;
  TimescaleMode timescale = TimescaleMode::auto_detect;
  int64_t raw_retention_days = 0;  // 0: raw rows kept for ever
  int64_t retention_interval_secs = 3600;
};

const config::Schema<PgStoreConfig>& pg_store_schema();
std::vector<config::SchemaDoc> pg_store_schema_docs();
Result<PgStoreConfig> parse_pg_store_config(const config::Node& settings);

// Validates the settings; no I/O (Store::open() connects and migrates).
Result<std::unique_ptr<Store>> make_pg_store(const config::Node& settings);
std::unique_ptr<Store> make_pg_store(const PgStoreConfig& config);

}  // namespace envmon::store::postgres
