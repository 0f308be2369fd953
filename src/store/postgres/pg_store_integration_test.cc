// The PostgreSQL store on a real server (ctest fixture `postgres`: scripts/postgres/server on
// loopback). Skips with the reason when ENVMON_PG_DSN is unset or the server is unreachable.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "bus/memory/memory_bus.h"
#include "model/codec.h"
#include "sinks/store_sink.h"
#include "store/batch_reduce.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_series.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/pg_store.h"
#include "store/testing/store_contract.h"

namespace envmon::store::postgres {
namespace {

using testing::contract_reading;
using testing::kContractT0;
using testing::StoreContract;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

PgStoreConfig test_config() {
  PgStoreConfig cfg;
  cfg.dsn = env("ENVMON_PG_DSN");
  cfg.password = env("ENVMON_PG_PASSWORD");
  cfg.connect_timeout_secs = 2;
  return cfg;
}

// An empty database: the public schema dropped and recreated. Null + reason when unreachable.
std::unique_ptr<PgConnection> reset_database(std::string* skip_reason) {
  const PgStoreConfig cfg = test_config();
  if (cfg.dsn.empty()) {
    *skip_reason = "ENVMON_PG_DSN is not set (ctest starts a server: fixture postgres)";
    return nullptr;
  }
  auto c = PgConnection::connect(cfg.dsn, cfg.password, cfg.connect_timeout_secs);
  if (!c.ok()) {
    *skip_reason = "no PostgreSQL server: " + c.error().to_string();
    return nullptr;
  }
  Status s = (*c)->exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  EXPECT_TRUE(s.ok()) << s.error().to_string();
  return std::move(*c);
}

std::unique_ptr<Store> fresh_pg_store(std::string* skip_reason) {
  if (!reset_database(skip_reason)) return nullptr;
  auto s = make_pg_store(test_config());
  if (Status st = s->open(); !st.ok()) ADD_FAILURE() << st.error().to_string();
  return s;
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(&fresh_pg_store));

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    admin_ = reset_database(&reason);
    if (!admin_) GTEST_SKIP() << reason;
  }
  std::unique_ptr<PgStore> open_store(PgStoreConfig cfg = test_config()) {
    auto s = std::make_unique<PgStore>(cfg);
    Status st = s->open();
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return s;
  }
  int64_t scalar(const std::string& sql) {
    auto r = admin_->query(sql, Params());
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r->int64(0, 0) : -1;
  }
  // Runs scripts/postgres/server with the fixture's dir and port (from the environment).
  static std::string server(const std::string& args) {
    const std::string cmd = std::string(ENVMON_SOURCE_DIR) + "/scripts/postgres/server " + args;
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
      char buf[4096];
      for (size_t n; (n = std::fread(buf, 1, sizeof(buf), p)) > 0;) out.append(buf, n);
      EXPECT_EQ(::pclose(p), 0) << cmd;
    }
    return out;
  }
  // The store sink writes 20,000 readings in batches of `batch_messages` while the server
  // restarts; afterwards every row is there once with its value.
  void restart_mid_write(size_t batch_messages);
  std::unique_ptr<PgConnection> admin_;
};

TEST_F(PgStoreTest, MigratesOnceAndCreatesPartitionsAheadAndOnDemand) {
  PgStoreConfig one = test_config();
  one.pool_size = 1;  // open() and retention never hold two connections at once
  auto s = open_store(one);
  EXPECT_FALSE(s->timescale());  // Debian's PostgreSQL has no TimescaleDB
  EXPECT_EQ(s->migrations_applied(), 4);
  const int64_t ahead = scalar(
      "SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurements'::regclass");
  EXPECT_GE(ahead, 8);  // yesterday's, today's and seven ahead
  s->close();
  s = open_store();
  EXPECT_EQ(s->migrations_applied(), 0);
  // A backfill from years ago gets its partition on demand.
  WriteBatch old;
  old.readings.push_back(contract_reading("delhi", from_unix_ms(1577836800000), 1, 2));  // 2020
  ASSERT_TRUE(s->write(old).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements_p20200101"), 2);
  // Retention clusters closed partitions once (that one is closed, today's is not)...
  ASSERT_TRUE(s->apply_retention(from_unix_ms(1577836800000)).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM partition_maintenance WHERE partition = "
                   "'measurements_p20200101'"),
            1);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements_p20200101"), 2);
  // ... and drops that whole partition when it is past the horizon, keeping the ones ahead.
  auto report = s->apply_retention(from_unix_ms(1577836800000) + Seconds(2 * 86400));
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->raw_rows_deleted, 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname = 'measurements_p20200101'"), 0);
  EXPECT_GE(scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'measurements'::regclass"),
            ahead);
}

// Daily aggregates are the count-weighted hourly ones, refreshed only for days whose hours changed.
TEST_F(PgStoreTest, RetentionDownsamplesChangedDaysToDailyAggregates) {
  auto s = open_store();
  WriteBatch b;
  b.aggregates.push_back(testing::contract_aggregate("delhi", Metric::pm25, kContractT0, 10, 1));
  b.aggregates.push_back(
      testing::contract_aggregate("delhi", Metric::pm25, kContractT0 + Seconds(3600), 20, 3));
  ASSERT_TRUE(s->write(b).ok());
  auto first = s->apply_retention(kContractT0 - Seconds(86400));
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(first->daily_rows_refreshed, 1);
  auto day = admin_->query("SELECT mean, min, max, count FROM aggregates_daily", Params());
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1);
  EXPECT_DOUBLE_EQ(day->real(0, 0), 17.5);
  EXPECT_EQ(day->real(0, 1), 9);
  EXPECT_EQ(day->real(0, 2), 21);
  EXPECT_EQ(day->int64(0, 3), 4);
  // A replay rewrites no hourly row (updated_at stays), so it marks no day for downsampling.
  const std::string stamp = "SELECT " ENVMON_PG_MS("max(updated_at)") " FROM aggregates_hourly";
  const int64_t before = scalar(stamp);
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar(stamp), before);
}

// A large batch is split by station over two connections, one transaction each, balanced by
// rows; a revision of part of it merges, and its replay rewrites no row.
TEST_F(PgStoreTest, LargeBatchSplitsByStationAndStaysIdempotent) {
  auto s = open_store();  // write_connections 2, pool of 4
  WriteBatch b;
  for (int k = 0; k < 100; ++k)
    for (int st = 0; st < 50; ++st)
      b.readings.push_back(
          contract_reading("st" + std::to_string(st), kContractT0 + Seconds(300) * k, k, st));
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 10000);
  EXPECT_EQ(scalar("SELECT count(DISTINCT xmin::text) FROM measurements"), 2);
  // 50 stations of equal rows: 25 in each share (balanced by rows, not by a hash).
  EXPECT_EQ(scalar("SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM measurements "
                   "GROUP BY xmin::text) s"),
            0);
  EXPECT_EQ(scalar("SELECT count(DISTINCT station_id) FROM latest_named"), 50);
  auto newest = s->latest("st7");
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ(newest->front().observed_at, kContractT0 + Seconds(300) * 99);
  for (Reading& r : b.readings) r.measurements[1].value += 1000;  // every pm25 revised
  b.readings.push_back(contract_reading("st0", kContractT0 + Seconds(300) * 100, 1, 2));
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 10002);
  EXPECT_EQ(
      scalar("SELECT count(*) FROM measurements_named WHERE metric = 'pm25' AND value < 1000"), 1);
  const std::string newest_xid = "SELECT max(xmin::text::int8) FROM measurements";
  const int64_t before = scalar(newest_xid);
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar(newest_xid), before);
  PgStoreConfig one = test_config();
  one.write_connections = 1;
  std::string reason;
  ASSERT_TRUE(reset_database(&reason) != nullptr) << reason;
  auto single = open_store(one);
  ASSERT_TRUE(single->write(b).ok());
  EXPECT_EQ(scalar("SELECT count(DISTINCT xmin::text) FROM measurements"), 1);
}

// A restarted writer reads each series' newest stored row back (from `latest`): rows at or
// before it may exist and go straight to the merge, later ones by plain COPY; a commit raises it.
TEST_F(PgStoreTest, SeriesRegistryTellsRowsThatMayExistFromNewOnes) {
  auto s = open_store();
  WriteBatch stored;
  for (int k = 0; k < 3; ++k)
    stored.readings.push_back(contract_reading("delhi", kContractT0 + Seconds(300) * k, k, k));
  ASSERT_TRUE(s->write(stored).ok());
  auto c = PgConnection::connect(test_config().dsn, test_config().password, 2);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(prepare_staging(**c).ok());
  SeriesRegistry restarted;
  WriteBatch next = stored;
  next.readings.push_back(contract_reading("delhi", kContractT0 + Seconds(300) * 3, 3, 3));
  next.readings.push_back(contract_reading("tokyo", kContractT0, 1, 1));
  auto rows = restarted.resolve(**c, unique_rows(next, 0, next.readings.size()));
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 10u);
  for (const SeriesRow& r : *rows) {
    SCOPED_TRACE(std::string(r.ref.reading->station.id.get()) + " " + std::to_string(r.at_ms));
    EXPECT_EQ(r.maybe_stored, r.ref.reading->station.id.get() == "delhi" &&
                                  r.ref.reading->observed_at <= kContractT0 + Seconds(600));
    EXPECT_EQ(r.series, scalar("SELECT id FROM series WHERE station_id = '" +
                               std::string(r.ref.reading->station.id.get()) + "' AND metric = '" +
                               std::string(metric_id(r.ref.measurement->metric)) + "'"));
  }
  restarted.committed(*rows);
  auto again = restarted.resolve(**c, unique_rows(next, 0, next.readings.size()));
  ASSERT_TRUE(again.ok());
  for (const SeriesRow& r : *again) EXPECT_TRUE(r.maybe_stored);
  EXPECT_EQ(scalar("SELECT count(*) FROM series"), 4);
}

// A database of schema version 3 (text-keyed measurements) moves to series ids on open: same
// partitions, same rows, read back through the API's queries and the named view.
TEST_F(PgStoreTest, MigrationMovesTextKeyedRowsToSeriesIds) {
  ASSERT_TRUE(admin_->exec("CREATE TABLE schema_migrations (version int4 PRIMARY KEY, name text "
                           "NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").ok());
  for (const PgMigration& m : pg_migrations()) {
    if (m.version > 3) continue;
    ASSERT_TRUE(admin_->exec(std::string(m.native)).ok()) << m.name;
    ASSERT_TRUE(admin_->command("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                Params().add(int64_t{m.version}).add(std::string(m.name))).ok());
  }
  ASSERT_TRUE(admin_->exec(
      "CREATE TABLE measurements_p20200101 PARTITION OF measurements FOR VALUES FROM "
      "('2020-01-01T00:00:00Z') TO ('2020-01-02T00:00:00Z');"
      "INSERT INTO measurements VALUES "
      "('delhi', 'pm25', '2020-01-01T01:00:00Z', 'sim', 42, NULL, 0, '2020-01-01T01:00:05Z'),"
      "('delhi', 'pm25', '2020-01-01T01:05:00Z', 'sim', 43, 430, 1, '2020-01-01T01:05:05Z'),"
      "('delhi', 'temperature', '2020-01-01T01:00:00Z', 'sim', 21, NULL, 0, "
      "'2020-01-01T01:00:05Z');"
      "INSERT INTO latest VALUES ('delhi', 'pm25', 'sim', '2020-01-01T01:05:00Z', 43, 430, 1, "
      "'2020-01-01T01:05:05Z'), ('tokyo', 'pm10', 'sim', '2019-12-31T00:00:00Z', 7, NULL, 0, "
      "'2019-12-31T00:00:05Z')").ok());
  auto s = open_store();
  EXPECT_EQ(s->migrations_applied(), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements_p20200101"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM series"), 3);  // tokyo's pm10 only in latest
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%v3%'"), 0);
  auto tokyo = s->latest("tokyo");
  ASSERT_TRUE(tokyo.ok()) << tokyo.error().to_string();
  ASSERT_EQ(tokyo->size(), 1u);
  EXPECT_EQ(tokyo->front().value, 7);
  EXPECT_EQ(scalar("SELECT sum(value) FROM measurements_named WHERE metric = 'pm25'"), 85);
  const Timestamp t = from_unix_ms(1577840400000);  // 2020-01-01T01:00Z
  auto rows = s->range("delhi", Metric::pm25, t, t + Seconds(3600), 10);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(1).value, 43);
  EXPECT_EQ(rows->at(1).raw, 430);
  // The moved rows are keys like any other: a replay changes nothing, a new row is added.
  WriteBatch b;
  b.readings.push_back(contract_reading("delhi", t, 21, 42));
  b.readings.front().ingested_at = t + Seconds(5);
  b.readings.push_back(contract_reading("delhi", t + Seconds(600), 22, 44));
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 5);
  EXPECT_EQ(scalar("SELECT count(*) FROM series"), 3);
  EXPECT_EQ(scalar("SELECT value FROM latest_named WHERE metric = 'pm25'"), 44);
}

// New rows are COPYed straight into their partitions: a batch across midnight fills both; its
// replay (rows now known stored) merges to no change.
TEST_F(PgStoreTest, BatchAcrossMidnightFillsBothPartitionsAndReplaysToNoChange) {
  auto s = open_store();
  const Timestamp midnight = from_unix_ms(1577923200000);  // 2020-01-02T00:00Z
  WriteBatch b;
  for (int k = -3; k < 3; ++k)
    for (int st = 0; st < 4; ++st)
      b.readings.push_back(contract_reading("st" + std::to_string(st), midnight + Seconds(300) * k,
                                            k, st));
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements_p20200101"), 24);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements_p20200102"), 24);
  const std::string newest_xid = "SELECT max(xmin::text::int8) FROM measurements";
  const int64_t before = scalar(newest_xid);
  ASSERT_TRUE(s->write(b).ok());
  EXPECT_EQ(scalar(newest_xid), before);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 48);
}

// try_acquire never connects (that could wait connect_timeout_secs): it takes only an idle slot
// that holds a live connection.
TEST_F(PgStoreTest, PoolTryAcquireTakesOnlyAConnectedSlot) {
  PgPool pool;
  pool.configure(test_config().dsn, test_config().password, 2, 2);
  EXPECT_FALSE(pool.try_acquire().has_value());
  { ASSERT_TRUE(pool.acquire().ok()); }  // connects one slot and gives it back
  auto taken = pool.try_acquire();
  ASSERT_TRUE(taken.has_value());
  EXPECT_FALSE(pool.try_acquire().has_value());  // the other slot is still unconnected
  taken.reset();
  pool.close();
}

// Retention clusters a closed partition written in small batches (every station interleaved)
// and leaves one written in a single sorted batch as it is.
TEST_F(PgStoreTest, RetentionClustersOnlyPartitionsOutOfSeriesOrder) {
  auto s = open_store();
  const Timestamp day1 = from_unix_ms(1577836800000), day2 = day1 + Seconds(86400);  // 2020
  WriteBatch whole_day;
  for (int k = 0; k < 50; ++k) {
    WriteBatch step;
    for (int st = 0; st < 20; ++st) {
      const std::string id = "st" + std::to_string(st);
      step.readings.push_back(contract_reading(id, day1 + Seconds(300) * k, k, st));
      whole_day.readings.push_back(contract_reading(id, day2 + Seconds(300) * k, k, st));
    }
    ASSERT_TRUE(s->write(step).ok());
  }
  ASSERT_TRUE(s->write(whole_day).ok());
  ASSERT_TRUE(s->apply_retention(day1).ok());
  const std::string rewritten =
      "SELECT count(*) FROM pg_class WHERE relfilenode <> oid AND relname = ";
  EXPECT_EQ(scalar(rewritten + "'measurements_p20200101'"), 1);
  EXPECT_EQ(scalar(rewritten + "'measurements_p20200102'"), 0);
  EXPECT_EQ(
      scalar("SELECT count(*) FROM partition_maintenance WHERE partition LIKE '%2020%'"), 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 4000);
}

TEST_F(PgStoreTest, ConstraintAndEncodingErrorsArePermanentAndRollBack) {
  auto s = open_store();
  WriteBatch empty_station;
  empty_station.readings.push_back(contract_reading("delhi", kContractT0, 1, 2));
  empty_station.readings.push_back(contract_reading("", kContractT0, 1, 2));
  Status st = s->write(empty_station);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Errc::store_constraint) << st.error().to_string();
  EXPECT_FALSE(st.error().retryable());
  WriteBatch bad_utf8;
  bad_utf8.readings.push_back(contract_reading("caf\xc3", kContractT0, 1, 2));
  st = s->write(bad_utf8);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Errc::store_constraint) << st.error().to_string();
  EXPECT_NE(st.error().message().find("UTF8"), std::string::npos) << st.error().message();
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 0);
  auto bad_json = s->write_anomalies({{"delhi", Metric::pm25, kContractT0, "z", 1, 1, "{oops"}});
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().code(), Errc::store_constraint);
}

// The sink isolates the message the store rejects and keeps it in dead_letters with the reason.
TEST_F(PgStoreTest, StoreSinkDeadLettersRejectedRowsWithTheReason) {
  auto s = open_store();
  auto bus = bus::make_memory_bus({2, 1024});
  auto producer = std::move(*bus->producer());
  // A NUL inside a string decodes fine but is no valid PostgreSQL text (22021).
  for (const std::string& station : {std::string("delhi"), std::string("nul\0id", 6), std::string("tokyo")}) {
    bus::Message m;
    m.topic = bus::Topic::curated;
    m.key = station;
    m.payload = encode_reading(contract_reading(station, kContractT0, 1, 2));
    ASSERT_TRUE(producer->send(std::move(m), Millis(1000)).ok());
  }
  MetricsRegistry registry;
  SystemClock clock;
  sinks::StoreSinkConfig cfg;
  cfg.retry_initial_ms = 1;
  cfg.retry_max_ms = 5;
  {
    sinks::StoreSink sink(ComponentContext("sink", "store", "postgres", registry, clock), *bus,
                          *s, cfg, nullptr);
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 4);
  EXPECT_EQ(scalar("SELECT count(*) FROM dead_letters WHERE error_code = 'store_constraint' "
                   "AND reason LIKE '%invalid byte sequence for encoding \"UTF8\": 0x00%'"),
            1);
}

TEST_F(PgStoreTest, PsqlReadsTheTables) {
  auto s = open_store();
  WriteBatch b;
  for (int i = 0; i < 10; ++i)
    b.readings.push_back(contract_reading("delhi", kContractT0 + Seconds(60 * i), i, 2 * i));
  ASSERT_TRUE(s->write(b).ok());
  ASSERT_TRUE(s->upsert_stations({{"delhi", "Delhi", 28.6, 77.2, "Asia/Kolkata", "south-asia"}}).ok());
  const std::string out = server(
      "psql -tA -F, -c \"SELECT s.name, m.metric, count(*), sum(m.value), min(m.observed_at) "
      "FROM measurements_named m JOIN stations s ON s.id = m.station_id GROUP BY 1, 2 ORDER BY 2\"");
  EXPECT_EQ(out,
            "Delhi,pm25,10,90,2026-01-01 00:00:00+00\n"
            "Delhi,temperature,10,45,2026-01-01 00:00:00+00\n");
}

// PostgreSQL restarted while the store sink writes: the sink backs off and retries (saying what
// is wrong), and afterwards every row is there exactly once with the values sent.
TEST_F(PgStoreTest, ServerRestartMidWriteLosesAndDoublesNothing) {
  restart_mid_write(500);  // 1,000-row writes: one transaction each
}

// Writes of 10,000 rows are split over two connections: a restart can fail one share after the
// other committed, and the sink's retry of the whole batch must still converge.
TEST_F(PgStoreTest, ServerRestartMidSplitWriteLosesAndDoublesNothing) {
  restart_mid_write(5000);
}

void PgStoreTest::restart_mid_write(size_t batch_messages) {
  if (env("ENVMON_PG_DIR").empty()) GTEST_SKIP() << "ENVMON_PG_DIR unset: cannot restart";
  auto s = open_store();
  auto bus = bus::make_memory_bus({4, 100000});
  auto producer = std::move(*bus->producer());
  constexpr int kReadings = 20000;
  double expected_sum = 0;
  MetricsRegistry registry;
  SystemClock clock;
  sinks::StoreSinkConfig cfg;
  cfg.retry_initial_ms = 20;
  cfg.retry_max_ms = 500;
  cfg.max_batch_messages = batch_messages;
  std::atomic<bool> restarted{false};
  sinks::StoreSink sink(ComponentContext("sink", "store", "postgres", registry, clock), *bus, *s,
                        cfg, [&] {});
  ASSERT_TRUE(sink.start().ok());
  std::thread restarter;
  for (int i = 0; i < kReadings; ++i) {
    const std::string station = "st" + std::to_string(i % 50);
    Reading r = contract_reading(station, kContractT0 + Seconds(60 * (i / 50)), i * 0.5, i);
    expected_sum += i * 0.5 + i;
    bus::Message m{bus::Topic::curated, station, encode_reading(r)};
    ASSERT_TRUE(producer->send(std::move(m), Millis(60000)).ok());
    if (i == kReadings / 4) {
      restarter = std::thread([&] {
        server("restart --mode fast");
        restarted = true;
      });
    }
  }
  restarter.join();
  sink.stop();
  ASSERT_TRUE(restarted.load());
  // The admin connection died with the restart: a new one checks the result.
  auto c = PgConnection::connect(test_config().dsn, test_config().password, 5);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  admin_ = std::move(*c);
  EXPECT_EQ(scalar("SELECT count(*) FROM measurements"), 2 * kReadings);
  EXPECT_EQ(scalar("SELECT count(DISTINCT (station_id, metric, observed_at)) "
                   "FROM measurements_named"),
            2 * kReadings);
  auto sum = admin_->query("SELECT sum(value) FROM measurements", Params());
  ASSERT_TRUE(sum.ok());
  EXPECT_DOUBLE_EQ(sum->real(0, 0), expected_sum);
  EXPECT_EQ(scalar("SELECT count(*) FROM latest"), 50 * 2);
}

}  // namespace
}  // namespace envmon::store::postgres
