#include "store/postgres/pg_store.h"

#include <algorithm>

#include "core/clock.h"
#include "store/postgres/pg_migrations.h"

namespace envmon::store::postgres {
namespace {

constexpr const char* kUpsertStation =
    "INSERT INTO stations (id, name, lat, lon, timezone, region) VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon, "
    "timezone = excluded.timezone, region = excluded.region";

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
  ENVMON_TRY(connect_writers());
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

// A write takes its further connections only when idle and connected (try_acquire never
// connects): they are connected here, all held at once so each is a different slot.
Status PgStore::connect_writers() {
  std::vector<PgPool::Lease> held;
  for (int64_t i = 0; i < std::min(config_.write_connections, config_.pool_size); ++i) {
    auto c = pool_.acquire();
    if (!c.ok()) return c.error();
    held.push_back(std::move(*c));
  }
  return ok_status();
}

void PgStore::close() { pool_.close(); }

std::optional<RetentionPolicy> PgStore::retention_policy() const {
  if (config_.raw_retention_days <= 0) return std::nullopt;
  return RetentionPolicy{config_.raw_retention_days, Seconds(config_.retention_interval_secs)};
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

std::unique_ptr<Store> make_pg_store(const PgStoreConfig& config) {
  return std::make_unique<PgStore>(config);
}

}  // namespace envmon::store::postgres
