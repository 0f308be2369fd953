// The stage and its sink on the in-process bus and a real SQLite store: curated readings in,
// anomalies in the store; bad input dead-lettered with the reason, never dropped.
#include <thread>

#include <gtest/gtest.h>

#include "analytics/analytics_stage.h"
#include "analytics/anomaly_codec.h"
#include "analytics/anomaly_sink.h"
#include "analytics/test_bus.h"
#include "analytics/test_readings.h"
#include "bus/memory/memory_bus.h"
#include "analytics/test_store.h"
#include "model/codec.h"

namespace envmon::analytics {
namespace {

class AnalyticsStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bus_ = bus::make_memory_bus(bus::MemoryBusConfig{});
    producer_ = std::move(*bus_->producer());
  }
  void TearDown() override { bus_->shutdown(); }

  void publish(bus::Topic topic, const std::string& key, const std::string& payload) {
    ASSERT_TRUE(producer_->send(bus::Message{topic, key, payload}, Millis(1000)).ok());
  }
  void wait_committed(const std::string& group, bus::Topic topic, int64_t expected) {
    testing::wait_committed(*bus_, group, topic, expected);
  }

  testing::TempStore temp_{"analytics"};
  store::Store* store_ = &temp_.store();
  MetricsRegistry metrics_;
  SystemClock clock_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::Producer> producer_;
};

TEST_F(AnalyticsStageTest, CuratedReadingsBecomeStoredAnomalies) {
  AnalyticsConfig cfg;
  cfg.metric_list = {Metric::pm25};
  AnalyticsStage stage(cfg, *bus_, metrics_, clock_);
  AnomalySink sink(ComponentContext("sink", "anomalies", "anomalies", metrics_, clock_), *bus_,
                   *store_, sinks::SinkConfig{});
  auto dead = std::move(*bus_->consumer("test-dead", {bus::Topic::dead_letter}));
  ASSERT_TRUE(stage.start().ok());
  ASSERT_TRUE(sink.start().ok());

  int64_t sent = 0;
  for (const std::string station : {"delhi", "london"}) {
    auto readings = testing::daily_readings(station, 2, station == "delhi" ? 1 : 2);
    testing::mask_as_spike(readings[400].measurements[0], 700);
    for (const auto& r : readings) publish(bus::Topic::curated, station, encode_reading(r)), ++sent;
  }
  publish(bus::Topic::curated, "delhi", R"({"v":1,"source":"sim"})"), ++sent;
  wait_committed(AnalyticsStage::kGroup, bus::Topic::curated, sent);
  wait_committed(AnomalySink::kGroup, bus::Topic::anomalies, stage.anomalies());
  stage.stop();
  sink.stop();

  auto stored = store_->anomalies("", from_unix_ms(0), from_unix_ms(4102444800000), 100);
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  ASSERT_EQ(stored->size(), 2u);
  for (const auto& a : *stored) {
    EXPECT_EQ(a.metric, Metric::pm25);
    EXPECT_DOUBLE_EQ(a.value, 700);
    EXPECT_NE(a.explanation_json.find("\"cleaner_flags\":[\"spike\"]"), std::string::npos);
  }
  EXPECT_EQ(store_->anomalies("london", from_unix_ms(0), from_unix_ms(4102444800000), 100)->size(), 1u);

  auto dl = dead->poll(10, Millis(1000));
  ASSERT_TRUE(dl.ok());
  ASSERT_EQ(dl->size(), 1u);
  auto letter = decode_dead_letter(dl->front().payload);
  ASSERT_TRUE(letter.ok());
  EXPECT_EQ(letter->stage, "analytics:decode");
  EXPECT_EQ(letter->topic, "curated");
  EXPECT_FALSE(letter->reason.empty());
}

TEST_F(AnalyticsStageTest, MalformedAnomalyMessagesBecomeDeadLetterRows) {
  AnomalySink sink(ComponentContext("sink", "anomalies", "anomalies", metrics_, clock_), *bus_,
                   *store_, sinks::SinkConfig{});
  ASSERT_TRUE(sink.start().ok());
  const store::AnomalyRecord good{"delhi", Metric::pm10, from_unix_ms(1767225600000),
                                  "robust_zscore", 5, 300, "{}"};
  publish(bus::Topic::anomalies, "delhi", encode_anomaly(good));
  publish(bus::Topic::anomalies, "delhi", R"({"v":1,"station":"delhi","metric":"pm99"})");
  publish(bus::Topic::anomalies, "delhi", "not json");
  wait_committed(AnomalySink::kGroup, bus::Topic::anomalies, 3);
  sink.stop();
  EXPECT_EQ(store_->anomalies("delhi", from_unix_ms(0), from_unix_ms(4102444800000), 10)->size(), 1u);
  EXPECT_EQ(store_->counts()->dead_letters, 2);
}

}  // namespace
}  // namespace envmon::analytics
