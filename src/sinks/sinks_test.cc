#include <atomic>
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bus/memory/memory_bus.h"
#include "lake/file/file_object_store.h"
#include "model/codec.h"
#include "sinks/lake_sink.h"
#include "sinks/store_sink.h"
#include "store/sqlite/sqlite_store_config.h"

namespace envmon::sinks {
namespace {

const Timestamp kT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

Reading reading(const std::string& station, Timestamp at, const std::string& source = "sim") {
  Reading r;
  r.source = SourceId(source);
  r.station = StationRef{StationId(station), station, 1, 2};
  r.observed_at = at;
  r.ingested_at = at + Seconds(4);
  r.measurements.push_back({Metric::temperature, 21.5, std::nan(""), "", 0});
  r.measurements.push_back({Metric::pm25, 40, std::nan(""), "", 0});
  return r;
}

class SinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("envmon_sinks_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    bus_ = bus::make_memory_bus({4, 1024});
    producer_ = std::move(*bus_->producer());
    config_.poll_timeout_ms = 20;
    config_.retry_initial_ms = 1;
    config_.retry_max_ms = 5;
    config_.drain_timeout_ms = 10000;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void send(bus::Topic topic, const std::string& key, std::string payload) {
    bus::Message m;
    m.topic = topic;
    m.key = key;
    m.payload = std::move(payload);
    ASSERT_TRUE(producer_->send(std::move(m), Millis(1000)).ok());
  }
  int64_t committed(const std::string& group, bus::Topic t) {
    return committed_total(*bus_, group, t);
  }
  ComponentContext ctx(const std::string& kind) {
    return ComponentContext("sink", kind, kind, registry_, clock_);
  }

  std::filesystem::path dir_;
  MetricsRegistry registry_;
  ManualClock clock_{kT0};
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::Producer> producer_;
  SinkConfig config_;
};

TEST_F(SinkTest, StoreSinkWritesEverythingAndDeadLettersUndecodable) {
  store::sqlite::SqliteStoreConfig sc;
  sc.path = (dir_ / "s.db").string();
  auto store = store::sqlite::make_sqlite_store(sc);
  ASSERT_TRUE(store->open().ok());
  for (int i = 0; i < 50; ++i)
    send(bus::Topic::curated, "delhi", encode_reading(reading("delhi", kT0 + Seconds(60 * i))));
  send(bus::Topic::curated, "delhi", "{not json");
  Aggregate a{
      SourceId("sim"), StationId("delhi"), Metric::pm25, kT0, Seconds(3600), 40, 40, 40, 50, 0, ""};
  send(bus::Topic::aggregates, "delhi", encode_aggregate(a));
  send(bus::Topic::dead_letter, "x",
       encode_dead_letter({"decode", "decode_syntax", "bad", "raw", "x", "{", kT0}));
  std::atomic<int> commits{0};
  {
    StoreSink sink(ctx("store"), *bus_, *store, config_, [&] { commits.fetch_add(1); });
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  auto counts = store->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 100);
  EXPECT_EQ(counts->aggregates, 1);
  EXPECT_EQ(counts->dead_letters, 2);  // the forwarded one and the undecodable curated message
  EXPECT_EQ(committed("store", bus::Topic::curated), 51);
  EXPECT_EQ(committed("store", bus::Topic::aggregates), 1);
  EXPECT_EQ(committed("store", bus::Topic::dead_letter), 1);
  EXPECT_GT(commits.load(), 0);
}

// A store that fails retryably a few times, or rejects readings of station "bad" for good.
class FlakyStore final : public store::Store {
 public:
  FlakyStore(bus::Bus& bus, int transient_failures)
      : bus_(bus), failures_left_(transient_failures) {}
  Status open() override { return ok_status(); }
  Status upsert_stations(const std::vector<config::StationConfig>&) override { return ok_status(); }
  Status write(const store::WriteBatch& b) override {
    ++attempts;
    committed_at_write.push_back(committed_total(bus_, "store", bus::Topic::curated));
    if (failures_left_ != 0) {
      if (failures_left_ > 0) --failures_left_;
      return Error(Errc::store_io, "database is locked", Retryable::yes);
    }
    for (const auto& r : b.readings) {
      if (r.station.id.get() == "bad") return Error(Errc::store_constraint, "CHECK failed");
    }
    for (const auto& r : b.readings)
      stations_written.push_back(r.station.id.get());
    for (const auto& d : b.dead_letters)
      dead.push_back(d);
    return ok_status();
  }
  Result<std::vector<config::StationConfig>> stations() override {
    return std::vector<config::StationConfig>{};
  }
  Result<std::vector<store::Observation>> latest(const std::string&) override {
    return std::vector<store::Observation>{};
  }
  Result<std::vector<store::Observation>> range(const std::string&, Metric, Timestamp, Timestamp,
                                                size_t) override {
    return std::vector<store::Observation>{};
  }
  Result<std::vector<store::Bucket>> buckets(const std::string&, Metric, Timestamp, Timestamp,
                                             Seconds) override {
    return std::vector<store::Bucket>{};
  }
  Result<std::vector<Aggregate>> aggregates(const std::string&, Metric, Timestamp,
                                            Timestamp) override {
    return std::vector<Aggregate>{};
  }
  Result<std::map<std::string, Timestamp>> source_progress(const std::string&) override {
    return std::map<std::string, Timestamp>{};
  }
  Result<store::StoreCounts> counts() override { return store::StoreCounts{}; }
  void close() override {}

  int attempts = 0;
  std::vector<int64_t> committed_at_write;
  std::vector<std::string> stations_written;
  std::vector<DeadLetter> dead;

 private:
  bus::Bus& bus_;
  int failures_left_;
};

TEST_F(SinkTest, StoreSinkRetriesAndCommitsOnlyAfterTheWrite) {
  FlakyStore store(*bus_, 3);
  for (int i = 0; i < 5; ++i)
    send(bus::Topic::curated, "delhi", encode_reading(reading("delhi", kT0 + Seconds(i))));
  StoreSink sink(ctx("store"), *bus_, store, config_, nullptr);
  ASSERT_TRUE(sink.start().ok());
  sink.stop();
  EXPECT_GE(store.attempts, 4);
  for (int64_t c : store.committed_at_write)
    EXPECT_LE(c, 0);  // nothing committed before the write
  EXPECT_EQ(store.stations_written.size(), 5u);
  EXPECT_EQ(committed("store", bus::Topic::curated), 5);
}

TEST_F(SinkTest, StoreSinkNeverCommitsWhenTheStoreStaysDown) {
  FlakyStore store(*bus_, -1);  // fails forever
  send(bus::Topic::curated, "delhi", encode_reading(reading("delhi", kT0)));
  config_.drain_timeout_ms = 100;
  StoreSink sink(ctx("store"), *bus_, store, config_, nullptr);
  ASSERT_TRUE(sink.start().ok());
  sink.stop();
  EXPECT_GE(store.attempts, 1);
  EXPECT_EQ(bus_->committed("store", {bus::Topic::curated, bus::partition_for("delhi", 4)}), -1);
}

TEST_F(SinkTest, StoreSinkIsolatesAPermanentlyRejectedMessage) {
  FlakyStore store(*bus_, 0);
  for (int i = 0; i < 6; ++i) {
    send(bus::Topic::curated, "k",
         encode_reading(reading(i == 3 ? "bad" : "good", kT0 + Seconds(i))));
  }
  StoreSink sink(ctx("store"), *bus_, store, config_, nullptr);
  ASSERT_TRUE(sink.start().ok());
  sink.stop();
  EXPECT_EQ(store.stations_written.size(), 5u);
  ASSERT_EQ(store.dead.size(), 1u);
  EXPECT_EQ(store.dead[0].error_code, "store_constraint");
  EXPECT_NE(store.dead[0].payload.find("\"bad\""), std::string::npos);
  EXPECT_EQ(committed("store", bus::Topic::curated), 6);
}

TEST_F(SinkTest, LakeSinkWritesRawMessagesThenCommits) {
  auto store = lake::make_file_object_store((dir_ / "lake").string());
  lake::RawLakeConfig lc;
  lc.max_uncommitted_messages = 7;  // forces several flushes
  lake::RawLake raw(*store, lc);
  std::vector<std::string> payloads;
  for (int i = 0; i < 20; ++i) {
    payloads.push_back(encode_reading(reading(i % 2 ? "delhi" : "tokyo", kT0 + Seconds(i))));
    send(bus::Topic::raw, i % 2 ? "delhi" : "tokyo", payloads.back());
  }
  send(bus::Topic::raw, "delhi", "garbage");
  {
    LakeSink sink(ctx("lake"), *bus_, raw, config_);
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  EXPECT_EQ(committed("lake", bus::Topic::raw), 21);
  std::string all;
  auto objects = store->list("raw/");
  ASSERT_TRUE(objects.ok());
  for (const auto& o : *objects) {
    if (o.key.ends_with(".jsonl.zst"))
      all += lake::zstd_decompress(store->get(o.key).value_or("")).value_or("");
  }
  for (const auto& p : payloads)
    EXPECT_NE(all.find(p + "\n"), std::string::npos);
  EXPECT_NE(all.find("garbage\n"), std::string::npos);
  bool undecodable_partition = false;
  for (const auto& o : *objects)
    undecodable_partition |= o.key.starts_with("raw/source=_undecodable/");
  EXPECT_TRUE(undecodable_partition);
}

// Every message is decoded once: a split after a permanent error must not decode (and count,
// and dead-letter) an undecodable message again.
TEST_F(SinkTest, StoreSinkDecodesOnceWhenSplittingABatch) {
  FlakyStore store(*bus_, 0);
  const Errc bad_json = decode_reading("{not json").error().code();
  for (int i = 0; i < 8; ++i) {
    if (i == 2) {
      send(bus::Topic::curated, "k", "{not json");
    } else {
      send(bus::Topic::curated, "k",
           encode_reading(reading(i == 5 ? "bad" : "good", kT0 + Seconds(i))));
    }
  }
  ComponentContext c = ctx("store");
  const auto metrics = c.metrics;
  {
    StoreSink sink(std::move(c), *bus_, store, config_, nullptr);
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  EXPECT_EQ(store.stations_written.size(), 6u);
  ASSERT_EQ(store.dead.size(), 2u);
  int decode_letters = 0;
  for (const auto& d : store.dead)
    decode_letters += d.stage == "sink:store:decode" ? 1 : 0;
  EXPECT_EQ(decode_letters, 1);
  EXPECT_EQ(metrics->errors_total("decode", errc_name(bad_json)), 1);
  EXPECT_EQ(metrics->received_total(), 8);
  EXPECT_EQ(metrics->sent_total(), 8);
  EXPECT_EQ(committed("store", bus::Topic::curated), 8);
}

TEST_F(SinkTest, StoreSinkDeadLettersMalformedAggregatesAndDeadLetters) {
  FlakyStore store(*bus_, 0);
  send(bus::Topic::aggregates, "delhi", R"({"v":1,"source":"sim","station":"delhi"})");
  send(bus::Topic::dead_letter, "x", "[1,2,3]");
  {
    StoreSink sink(ctx("store"), *bus_, store, config_, nullptr);
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  ASSERT_EQ(store.dead.size(), 2u);
  for (const auto& d : store.dead) {
    EXPECT_EQ(d.stage, "sink:store:decode");
    EXPECT_FALSE(d.reason.empty());
    EXPECT_TRUE(d.error_code.starts_with("decode_")) << d.error_code;
  }
  EXPECT_EQ(store.dead[0].topic == "aggregates" ? store.dead[0].payload : store.dead[1].payload,
            R"({"v":1,"source":"sim","station":"delhi"})");
  EXPECT_EQ(committed("store", bus::Topic::aggregates), 1);
  EXPECT_EQ(committed("store", bus::Topic::dead_letter), 1);
}

TEST_F(SinkTest, LakeSinkCountsExcludedDuplicateAndUndecodableMessages) {
  auto store = lake::make_file_object_store((dir_ / "lake").string());
  lake::RawLake raw(*store, lake::RawLakeConfig{});
  for (int i = 0; i < 3; ++i)
    send(bus::Topic::raw, "delhi", encode_reading(reading("delhi", kT0 + Seconds(i), "waqi")));
  const std::string twice = encode_reading(reading("delhi", kT0));
  send(bus::Topic::raw, "delhi", twice);
  send(bus::Topic::raw, "delhi", twice);
  send(bus::Topic::raw, "delhi", "{\"v\":1");
  ComponentContext c = ctx("lake");
  const auto metrics = c.metrics;
  {
    LakeSink sink(std::move(c), *bus_, raw, config_, {"waqi"});
    ASSERT_TRUE(sink.start().ok());
    sink.stop();
  }
  EXPECT_EQ(metrics->discarded_total("lake_retention_none"), 3);
  EXPECT_EQ(metrics->discarded_total("already_in_lake"), 1);
  EXPECT_EQ(metrics->errors_total("decode", errc_name(decode_reading("{\"v\":1").error().code())),
            1);
  EXPECT_EQ(metrics->sent_total(), 6);
  EXPECT_EQ(committed("lake", bus::Topic::raw), 6);
}

TEST(SinkConfigTest, RejectsMalformedSettingsNamingTheKey) {
  struct Case {
    const char* yaml;
    Errc code;
    const char* mentions;
  };
  const Case cases[] = {
      {"max_batch_messages: lots\n", Errc::config_bad_value, "max_batch_messages"},
      {"max_batch_messages: 1.5\n", Errc::config_bad_value, "max_batch_messages"},
      {"max_batch_messages: 0\n", Errc::config_bad_value, "max_batch_messages"},
      {"poll_timeout_ms: -5\n", Errc::config_bad_value, "poll_timeout_ms"},
      {"drain_timeout_ms: [1, 2]\n", Errc::config_bad_value, "drain_timeout_ms"},
      {"flush_ms: 10\n", Errc::config_unknown_key, "flush_ms"},
      {"retry_initial_ms: 500\nretry_max_ms: 100\n", Errc::config_bad_value, "retry_max_ms"},
      {"- max_batch_messages\n", Errc::config_bad_value, "mapping"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    auto node = config::load_text(c.yaml, "t.yaml");
    ASSERT_TRUE(node.ok());
    auto cfg = parse_sink_config(*node);
    ASSERT_FALSE(cfg.ok());
    EXPECT_EQ(cfg.error().code(), c.code) << cfg.error().to_string();
    EXPECT_NE(cfg.error().to_string().find(c.mentions), std::string::npos)
        << cfg.error().to_string();
  }
}

TEST(SinkConfigTest, ParsesAndDocuments) {
  auto node = config::load_text("max_batch_messages: 10\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_sink_config(*node);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->max_batch_messages, 10);
  EXPECT_FALSE(sink_schema_docs().empty());
}

}  // namespace
}  // namespace envmon::sinks
