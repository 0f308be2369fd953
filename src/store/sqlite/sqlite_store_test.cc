#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store_config.h"
#include "store/testing/store_contract.h"

namespace envmon::store::sqlite {
namespace {

const Timestamp kT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("envmon_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    config_.path = (dir_ / "t.db").string();
    config_.read_connections = 3;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> open_store() {
    auto s = std::make_unique<SqliteStore>(config_);
    Status st = s->open();
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return s;
  }

  std::filesystem::path dir_;
  SqliteStoreConfig config_;
};

using testing::contract_reading;

WriteBatch hour_of_readings(const std::string& station, Timestamp start, int n, Millis step) {
  WriteBatch b;
  for (int i = 0; i < n; ++i)
    b.readings.push_back(contract_reading(station, start + step * i, 10 + i, 20 + i));
  return b;
}

TEST_F(SqliteStoreTest, MigrationsAppliedOnceAcrossReopen) {
  auto s = open_store();
  EXPECT_EQ(s->migrations_applied(), static_cast<int>(migrations().size()));
  s->close();
  auto again = open_store();
  EXPECT_EQ(again->migrations_applied(), 0);
}

TEST_F(SqliteStoreTest, UpsertIsIdempotent) {
  auto s = open_store();
  WriteBatch b = hour_of_readings("delhi", kT0, 12, Millis(300000));
  Aggregate a{
      SourceId("sim"), StationId("delhi"), Metric::pm25, kT0, Seconds(3600), 25, 20, 31, 12, 0, ""};
  b.aggregates.push_back(a);
  b.dead_letters.push_back({"decode", "decode_syntax", "bad", "raw", "delhi", "{oops", kT0});
  ASSERT_TRUE(s->write(b).ok());
  auto first = s->range("delhi", Metric::pm25, kT0, kT0 + Seconds(3600), 100);
  ASSERT_TRUE(s->write(b).ok());
  auto counts = s->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 24);
  EXPECT_EQ(counts->aggregates, 1);
  EXPECT_EQ(counts->dead_letters, 1);
  auto second = s->range("delhi", Metric::pm25, kT0, kT0 + Seconds(3600), 100);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->size(), 12u);
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].value, (*second)[i].value);
    EXPECT_EQ((*first)[i].observed_at, (*second)[i].observed_at);
  }
}

TEST_F(SqliteStoreTest, UpsertReplacesValueAndAggregateRevision) {
  auto s = open_store();
  WriteBatch b;
  b.readings.push_back(contract_reading("delhi", kT0, 1, 2));
  ASSERT_TRUE(s->write(b).ok());
  b.readings[0].measurements[0].value = 5;
  Aggregate a{
      SourceId("sim"), StationId("delhi"), Metric::pm25, kT0, Seconds(3600), 25, 20, 31, 12, 0, ""};
  b.aggregates.push_back(a);
  ASSERT_TRUE(s->write(b).ok());
  b.aggregates[0].revision = 1;
  b.aggregates[0].mean = 26;
  ASSERT_TRUE(s->write(b).ok());
  auto r = s->range("delhi", Metric::temperature, kT0, kT0 + Seconds(1), 10);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].value, 5);
  auto ag = s->aggregates("delhi", Metric::pm25, kT0, kT0 + Seconds(3600));
  ASSERT_TRUE(ag.ok());
  ASSERT_EQ(ag->size(), 1u);
  EXPECT_EQ((*ag)[0].revision, 1);
  EXPECT_EQ((*ag)[0].mean, 26);
}

TEST_F(SqliteStoreTest, MaskedValueStoredAsNullWithRaw) {
  auto s = open_store();
  WriteBatch b;
  Reading r = contract_reading("delhi", kT0, 1, 2);
  r.measurements[1].value = std::nan("");
  r.measurements[1].raw = 812;
  r.measurements[1].flags = static_cast<FlagSet>(Flag::spike);
  b.readings.push_back(r);
  ASSERT_TRUE(s->write(b).ok());
  auto got = s->range("delhi", Metric::pm25, kT0, kT0 + Seconds(1), 10);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE(std::isnan((*got)[0].value));
  EXPECT_EQ((*got)[0].raw, 812);
  EXPECT_TRUE(has_flag((*got)[0].flags, Flag::spike));
}

TEST_F(SqliteStoreTest, LatestHasNewestPerMetricAndSource) {
  auto s = open_store();
  WriteBatch b = hour_of_readings("delhi", kT0, 5, Millis(60000));
  b.readings.push_back(contract_reading("delhi", kT0 + Seconds(30), 99, 98, "other"));
  ASSERT_TRUE(s->write(b).ok());
  // An older reading written later must not replace the newest one.
  WriteBatch late;
  late.readings.push_back(contract_reading("delhi", kT0 - Seconds(600), -1, -1));
  ASSERT_TRUE(s->write(late).ok());
  auto latest = s->latest("delhi");
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 4u);  // 2 metrics x 2 sources
  for (const auto& o : *latest) {
    if (o.source == "sim") {
      EXPECT_EQ(o.observed_at, kT0 + Seconds(240));
      EXPECT_EQ(o.value, o.metric == Metric::temperature ? 14 : 24);
    } else {
      EXPECT_EQ(o.observed_at, kT0 + Seconds(30));
    }
  }
  auto none = s->latest("nowhere");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SqliteStoreTest, RangeIsHalfOpenOrderedAndLimited) {
  auto s = open_store();
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0, 10, Millis(60000))).ok());
  auto r = s->range("delhi", Metric::temperature, kT0 + Seconds(60), kT0 + Seconds(300), 100);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ(r->front().observed_at, kT0 + Seconds(60));
  EXPECT_EQ(r->back().observed_at, kT0 + Seconds(240));
  auto limited = s->range("delhi", Metric::temperature, kT0, kT0 + Seconds(3600), 3);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 3u);
}

TEST_F(SqliteStoreTest, BucketsFromRowsIgnoreMaskedValues) {
  auto s = open_store();
  WriteBatch b = hour_of_readings("delhi", kT0, 4, Millis(300000));  // temps 10,11,12,13
  b.readings[1].measurements[0].value = std::nan("");                // masked 11
  ASSERT_TRUE(s->write(b).ok());
  auto got = s->buckets("delhi", Metric::temperature, kT0, kT0 + Seconds(3600), Seconds(900));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].start, kT0);
  EXPECT_EQ((*got)[0].count, 2);  // 10 and 12; 11 is masked
  EXPECT_DOUBLE_EQ((*got)[0].mean, 11);
  EXPECT_EQ((*got)[1].start, kT0 + Seconds(900));
  EXPECT_EQ((*got)[1].count, 1);
  EXPECT_EQ((*got)[1].max, 13);
}

TEST_F(SqliteStoreTest, HourMultipleBucketsCombineAggregatesWeightedByCount) {
  auto s = open_store();
  WriteBatch b;
  auto agg = [](Timestamp start, double mean, double mn, double mx, int64_t count) {
    return Aggregate{SourceId("sim"),
                     StationId("delhi"),
                     Metric::pm25,
                     start,
                     Seconds(3600),
                     mean,
                     mn,
                     mx,
                     count,
                     0,
                     ""};
  };
  b.aggregates.push_back(agg(kT0, 10, 5, 15, 1));
  b.aggregates.push_back(agg(kT0 + Seconds(3600), 20, 18, 40, 3));
  b.aggregates.push_back(agg(kT0 + Seconds(7200), std::nan(""), std::nan(""), std::nan(""), 0));
  b.aggregates.push_back(agg(kT0 + Seconds(86400), 7, 7, 7, 2));
  ASSERT_TRUE(s->write(b).ok());
  auto got = s->buckets("delhi", Metric::pm25, kT0, kT0 + Seconds(2 * 86400), Seconds(86400));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_DOUBLE_EQ((*got)[0].mean, (10.0 + 3 * 20.0) / 4);
  EXPECT_EQ((*got)[0].count, 4);
  EXPECT_EQ((*got)[0].min, 5);
  EXPECT_EQ((*got)[0].max, 40);
  EXPECT_EQ((*got)[1].start, kT0 + Seconds(86400));
  auto hourly = s->buckets("delhi", Metric::pm25, kT0, kT0 + Seconds(86400), Seconds(3600));
  ASSERT_TRUE(hourly.ok());
  EXPECT_EQ(hourly->size(), 2u);  // the empty (count 0) hour has no bucket
}

TEST_F(SqliteStoreTest, SourceProgressIsMaxIngestedPerStation) {
  auto s = open_store();
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0, 3, Millis(60000))).ok());
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0 - Seconds(3600), 1, Millis(60000))).ok());
  ASSERT_TRUE(s->write(hour_of_readings("tokyo", kT0, 1, Millis(60000))).ok());
  auto p = s->source_progress("sim");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ(p->at("delhi"), kT0 + Seconds(120) + Millis(4000));
  EXPECT_EQ(p->at("tokyo"), kT0 + Millis(4000));
  auto other = s->source_progress("nope");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST_F(SqliteStoreTest, StationsRoundTrip) {
  auto s = open_store();
  std::vector<config::StationConfig> st = {
      {"delhi", "Delhi", 28.6, 77.3, "Asia/Kolkata", "south-asia"},
      {"tokyo", "Tokyo", 35.7, 139.7, "Asia/Tokyo", "east-asia"}};
  ASSERT_TRUE(s->upsert_stations(st).ok());
  st[0].name = "New Delhi";
  ASSERT_TRUE(s->upsert_stations(st).ok());
  auto got = s->stations();
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].name, "New Delhi");
  EXPECT_EQ((*got)[1].timezone, "Asia/Tokyo");
}

TEST_F(SqliteStoreTest, ConstraintViolationIsPermanentAndRollsBack) {
  auto s = open_store();
  WriteBatch b = hour_of_readings("delhi", kT0, 2, Millis(60000));
  b.readings.push_back(contract_reading("", kT0, 1, 1));
  Status st = s->write(b);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Errc::store_constraint);
  EXPECT_FALSE(st.error().retryable());
  auto counts = s->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 0);
}

TEST_F(SqliteStoreTest, ReadersRunWhileTheWriterWrites) {
  auto s = open_store();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto r = s->range("delhi", Metric::temperature, kT0, kT0 + Seconds(86400), 1000);
        auto l = s->latest("delhi");
        if (!r.ok() || !l.ok()) failures.fetch_add(1);
        reads.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        s->write(hour_of_readings("delhi", kT0 + Seconds(3600) * i, 12, Millis(300000))).ok());
  }
  // The readers must have run at least once (under load they may start after the writes).
  while (reads.load() == 0) std::this_thread::yield();
  done.store(true);
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  auto counts = s->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 20 * 12 * 2);
}

TEST_F(SqliteStoreTest, CloseCheckpointsAndRemovesTheWal) {
  auto s = open_store();
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0, 100, Millis(1000))).ok());
  EXPECT_TRUE(std::filesystem::exists(config_.path + "-wal"));
  s->close();
  EXPECT_FALSE(std::filesystem::exists(config_.path + "-wal"));
}

TEST_F(SqliteStoreTest, LargeBatchesSpanSeveralTransactions) {
  config_.max_rows_per_transaction = 100;
  auto s = open_store();
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0, 500, Millis(1000))).ok());
  auto counts = s->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 1000);
}

// A row this version cannot map (another envmon version wrote it) is a clear error, never a row
// reported under a wrong metric.
TEST_F(SqliteStoreTest, UnknownStoredMetricIsAClearError) {
  auto s = open_store();
  ASSERT_TRUE(s->write(hour_of_readings("delhi", kT0, 1, Millis(1000))).ok());
  {
    auto raw = Connection::open(config_.path, false);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)
                    ->exec("INSERT INTO latest (station_id, metric, source, observed_at, value, "
                           "raw, flags, ingested_at) VALUES ('delhi', 'unobtainium', 'sim', 0, 1, "
                           "NULL, 0, 0)")
                    .ok());
  }
  auto latest = s->latest("delhi");
  ASSERT_FALSE(latest.ok());
  EXPECT_EQ(latest.error().code(), Errc::store_schema);
  EXPECT_NE(latest.error().message().find("unobtainium"), std::string::npos);
  // The reader that hit the bad row is still usable.
  auto range = s->range("delhi", Metric::pm25, kT0, kT0 + Seconds(60), 10);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->size(), 1u);
}

TEST_F(SqliteStoreTest, NonPositiveBucketWidthIsRejected) {
  auto s = open_store();
  auto got = s->buckets("delhi", Metric::pm25, kT0, kT0 + Seconds(3600), Seconds(0));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), Errc::invalid_argument);
}

TEST(SqliteStoreConfigTest, RejectsMalformedSettingsNamingTheKey) {
  struct Case {
    const char* yaml;
    Errc code;
    const char* mentions;
  };
  const Case cases[] = {
      {"path: \"\"\n", Errc::config_bad_value, "path"},
      {"busy_timeout_ms: soon\n", Errc::config_bad_value, "busy_timeout_ms"},
      {"busy_timeout_ms: -1\n", Errc::config_bad_value, "busy_timeout_ms"},
      {"read_connections: 0\n", Errc::config_bad_value, "read_connections"},
      {"read_connections: 2.5\n", Errc::config_bad_value, "read_connections"},
      {"max_rows_per_transaction: 10\n", Errc::config_bad_value, "max_rows_per_transaction"},
      {"synchronous: [full]\n", Errc::config_bad_value, "synchronous"},
      {"synchronous: sometimes\n", Errc::config_bad_value, "synchronous"},
      {"journal: wal\n", Errc::config_unknown_key, "journal"},
      {"raw_retention_days: -3\n", Errc::config_bad_value, "raw_retention_days"},
      {"retention_interval_secs: 5\n", Errc::config_bad_value, "retention_interval_secs"},
      {"just a string\n", Errc::config_bad_value, "mapping"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    auto node = config::load_text(c.yaml, "t.yaml");
    ASSERT_TRUE(node.ok());
    auto cfg = parse_sqlite_store_config(*node);
    ASSERT_FALSE(cfg.ok());
    EXPECT_EQ(cfg.error().code(), c.code) << cfg.error().to_string();
    EXPECT_NE(cfg.error().to_string().find(c.mentions), std::string::npos)
        << cfg.error().to_string();
    EXPECT_FALSE(make_sqlite_store(*node, "/tmp").ok());
  }
}

TEST(SqliteStoreConfigTest, FactoryResolvesPathAgainstDataDirWithoutIo) {
  auto node = config::load_text("path: sub/x.db\nsynchronous: full\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_sqlite_store_config(*node);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->synchronous, Synchronous::full);
  auto store = make_sqlite_store(*node, "/nonexistent-dir");
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->retention_policy().has_value());  // raw rows kept unless configured
  auto keep30 = config::load_text("raw_retention_days: 30\n", "t.yaml");
  ASSERT_TRUE(keep30.ok());
  auto policy = (*make_sqlite_store(*keep30, "/tmp"))->retention_policy();
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->raw_retention_days, 30);
  auto bad = config::load_text("synchronous: sometimes\n", "t.yaml");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(make_sqlite_store(*bad, "/tmp").ok());
  EXPECT_FALSE(sqlite_store_schema_docs().empty());
}

}  // namespace
}  // namespace envmon::store::sqlite

namespace envmon::store::sqlite {
namespace {

using testing::StoreContract;

// One directory per test process, removed when it exits.
struct ContractDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("envmon_store_contract_" + std::to_string(::getpid()));
  ContractDir() { std::filesystem::create_directories(path); }
  ~ContractDir() { std::filesystem::remove_all(path); }
};

std::unique_ptr<Store> fresh_sqlite_store(std::string* /*skip_reason*/) {
  static ContractDir dir;
  static int n = 0;
  const auto path = dir.path / (std::to_string(++n) + ".db");
  SqliteStoreConfig cfg;
  cfg.path = path.string();
  auto s = make_sqlite_store(cfg);
  if (Status st = s->open(); !st.ok()) ADD_FAILURE() << st.error().to_string();
  return s;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(&fresh_sqlite_store));

}  // namespace
}  // namespace envmon::store::sqlite
