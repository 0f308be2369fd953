#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "store/store.h"

namespace envmon::store::sqlite {

// How hard a commit waits for the disk. In WAL mode `normal` loses at most the last commits on
// power loss (never corrupts); `full` fsyncs every commit.
enum class Synchronous { normal, full };

struct SqliteStoreConfig {
  std::string path = "envmon.db";  // relative paths are resolved against data_dir
  int64_t busy_timeout_ms = 5000;
  Synchronous synchronous = Synchronous::normal;
  int64_t read_connections = 4;
  // A write() larger than this is committed in several transactions. Each is atomic and every
  // write is an idempotent upsert, so a failure in the middle is repaired by retrying the batch.
  int64_t max_rows_per_transaction = 50000;
  int64_t cache_size_kib = 16384;
  int64_t wal_autocheckpoint_pages = 16000;  // 64 MiB: a hot page is copied back once per
                                             // checkpoint, so rarer checkpoints write less
  int64_t raw_retention_days = 0;            // 0: raw rows kept for ever
  int64_t retention_interval_secs = 3600;
};

const config::Schema<SqliteStoreConfig>& sqlite_store_schema();
std::vector<config::SchemaDoc> sqlite_store_schema_docs();
Result<SqliteStoreConfig> parse_sqlite_store_config(const config::Node& settings);

// Validates the settings and resolves the path; no I/O (Store::open() creates the file).
Result<std::unique_ptr<Store>> make_sqlite_store(const config::Node& settings,
                                                 const std::string& data_dir);
// The same from a filled struct (tests, benchmarks). `path` is used as given.
std::unique_ptr<Store> make_sqlite_store(const SqliteStoreConfig& config);

}  // namespace envmon::store::sqlite
