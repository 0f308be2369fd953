// The isolation forest on hourly feature vectors: trained offline on a frame, registered, loaded
// and run online on readings of the same hours, it gives the same scores bit for bit; in the
// running stage an injected spike comes out as an anomaly whose explanation names the metric.
#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/analytics_stage.h"
#include "analytics/anomaly_sink.h"
#include "analytics/forest_scorer.h"
#include "analytics/test_bus.h"
#include "analytics/test_readings.h"
#include "analytics/test_store.h"
#include "bus/memory/memory_bus.h"
#include "model/codec.h"
#include "registry/file/file_registry_config.h"

namespace envmon::analytics {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00Z

// Hourly PM2.5 with a daily cycle (peak 08:00) and temperature, like testing::daily_readings;
// every 50th hour is missing, so the online side must grid gaps as the offline side does.
features::RawFrame hourly_frame(int days, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1.0);
  features::RawFrame f;
  f.start_unix = kStart;
  f.resize(static_cast<size_t>(days) * 24);
  for (size_t i = 0; i < f.size(); ++i) {
    if (i % 50 == 49) continue;
    const double hour = static_cast<double>(i % 24);
    f.col(features::Raw::pm25)[i] = 60 + 30 * std::cos((hour - 8) / 24 * 2 * M_PI) + 2 * noise(rng);
    f.col(features::Raw::temperature)[i] =
        20 + 5 * std::cos((hour - 15) / 24 * 2 * M_PI) + 0.3 * noise(rng);
  }
  return f;
}

class ForestScorerTest : public ::testing::Test {
 protected:
  std::unique_ptr<registry::Registry> open_registry() {
    registry::file::FileRegistryConfig cfg;
    cfg.path = (temp_.dir() / "registry").string();
    return registry::file::make_file_registry(cfg);
  }
  std::shared_ptr<const FeatureModel> train_and_register(
      const features::RawFrame& frame, const FeatureModelTraining& training = default_training()) {
    auto trained = train_feature_model({frame}, training);
    EXPECT_TRUE(trained.ok()) << trained.error().to_string();
    auto reg = open_registry();
    auto registered = register_feature_model(*reg, "anomaly_iforest_pm25", *trained, "test");
    EXPECT_TRUE(registered.ok()) << registered.error().to_string();
    auto loaded = load_feature_model(*reg, "anomaly_iforest_pm25", "champion");
    EXPECT_TRUE(loaded.ok()) << loaded.error().to_string();
    return loaded.ok() ? *loaded : nullptr;
  }

  testing::TempStore temp_{"forest"};
};

TEST_F(ForestScorerTest, OnlineScoresEqualOfflineScoresForTheSameHours) {
  const auto frame = hourly_frame(21, 1);
  FeatureModelTraining training = default_training();
  training.columns.insert(training.columns.end(), {"hour_sin", "temperature", "humidity"});
  auto model = train_and_register(frame, training);
  ASSERT_NE(model, nullptr);
  // The frame has no humidity: the column is left out, and the model says which it uses.
  EXPECT_EQ(model->columns.size(), training.columns.size() - 1);
  EXPECT_EQ(model->columns.back(), "temperature");
  const std::vector<double> offline = score_frame(*model, frame);

  AnalyticsConfig cfg;
  cfg.isolation_forest_threshold = 0;  // every scored hour is reported, with its score
  ForestScorer online(model, cfg);
  std::vector<store::AnomalyRecord> out;
  for (size_t i = 0; i <= frame.size(); ++i) {  // one more hour closes the last one
    const bool last = i == frame.size();
    const double pm = last ? 1.0 : frame.col(features::Raw::pm25)[i];
    const double t = last ? 1.0 : frame.col(features::Raw::temperature)[i];
    if (!std::isfinite(pm)) continue;  // the stream sees nothing in a missing hour
    online.score(testing::curated("delhi", from_unix_ms(frame.time_at(i) * 1000), pm, t), false, out);
  }
  // Hours the stream saw readings in; offline also scores gap-filled missing hours, which the
  // stream cannot see (but their filled values reach the next hours' lags on both sides).
  size_t scored = 0;
  for (size_t i = 0; i < frame.size(); ++i) {
    scored += std::isfinite(offline[i]) && std::isfinite(frame.col(features::Raw::pm25)[i]) ? 1 : 0;
  }
  ASSERT_GT(scored, frame.size() / 2);
  ASSERT_EQ(out.size(), scored);
  for (const auto& a : out) {
    const auto i = static_cast<size_t>((to_unix_ms(a.at) / 1000 - kStart) / 3600);
    EXPECT_EQ(a.score, offline[i]) << "hour " << i;  // bit for bit
    EXPECT_EQ(a.detector, "isolation_forest");
    EXPECT_EQ(a.metric, Metric::pm25);
  }
  EXPECT_EQ(online.counts().hours_scored, static_cast<int64_t>(scored));
}

TEST_F(ForestScorerTest, BrokenOrMissingModelsAreClearErrors) {
  auto reg = open_registry();
  auto missing = load_feature_model(*reg, "nope", "champion");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().to_string().find("nope@champion"), std::string::npos);
  auto exp = registry::get_or_create_experiment(*reg, "anomaly_iforest");
  auto run = reg->create_run(*exp, "broken");
  ASSERT_TRUE(reg->log_artifact(*run, "model.json", "not json").ok());
  ASSERT_TRUE(reg->end_run(*run, registry::RunStatus::finished).ok());
  ASSERT_TRUE(reg->register_model("broken", *run, "model.json").ok());
  auto broken = load_feature_model(*reg, "broken", "latest");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().to_string().find("broken@latest"), std::string::npos);
}

class ForestStageTest : public ForestScorerTest {
 protected:
  void SetUp() override { bus_ = bus::make_memory_bus(bus::MemoryBusConfig{}); }
  void TearDown() override { bus_->shutdown(); }
  void wait_committed(const std::string& group, bus::Topic topic, int64_t expected) {
    testing::wait_committed(*bus_, group, topic, expected);
  }

  MetricsRegistry metrics_;
  SystemClock clock_;
  std::unique_ptr<bus::Bus> bus_;
};

TEST_F(ForestStageTest, AnInjectedSpikeBecomesAStoredAnomalyNamingTheMetric) {
  ASSERT_NE(train_and_register(hourly_frame(21, 2)), nullptr);
  AnalyticsConfig cfg;
  cfg.metric_list = {Metric::pm25};
  cfg.detector = Detector::isolation_forest;
  AnalyticsStage stage(cfg, *bus_, metrics_, clock_, open_registry());
  AnomalySink sink(ComponentContext("sink", "anomalies", "anomalies", metrics_, clock_), *bus_,
                   temp_.store(), sinks::SinkConfig{});
  ASSERT_TRUE(stage.start().ok());
  ASSERT_TRUE(stage.forest_active());
  ASSERT_TRUE(sink.start().ok());
  auto readings = testing::daily_readings("delhi", 3, 7);
  const size_t spike = 2 * 288 + 12 * 12 + 6;  // day 3, 12:30
  for (size_t i = spike - 5; i <= spike + 5; ++i) testing::mask_as_spike(readings[i].measurements[0], 900);
  auto producer = std::move(*bus_->producer());
  for (const auto& r : readings) {
    ASSERT_TRUE(producer->send({bus::Topic::curated, "delhi", encode_reading(r)}, Millis(1000)).ok());
  }
  wait_committed(AnalyticsStage::kGroup, bus::Topic::curated, static_cast<int64_t>(readings.size()));
  wait_committed(AnomalySink::kGroup, bus::Topic::anomalies, stage.anomalies());
  stage.stop();
  sink.stop();

  auto stored = temp_.store().anomalies("delhi", from_unix_ms(0), from_unix_ms(4102444800000), 100);
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  const Timestamp spike_hour = from_unix_ms((kStart + 2 * 86400 + 12 * 3600) * 1000);
  const store::AnomalyRecord* found = nullptr;
  for (const auto& a : *stored) {
    EXPECT_EQ(a.detector, "isolation_forest");  // detector isolation_forest alone
    EXPECT_GE(a.at, spike_hour);  // the spike, then hours whose 24-h statistics hold it
    if (a.at == spike_hour) found = &a;
  }
  ASSERT_NE(found, nullptr) << stored->size() << " anomalies, none at the spike's hour";
  EXPECT_GE(found->score, cfg.isolation_forest_threshold);
  const auto e = nlohmann::json::parse(found->explanation_json);
  EXPECT_EQ(e.at("detector"), "isolation_forest");
  EXPECT_EQ(e.at("top_feature").get<std::string>().substr(0, 4), "pm25") << e.dump();
  EXPECT_GT(e.at("values").at("pm25").get<double>(), 300);
}

TEST_F(ForestStageTest, AMissingModelFallsBackToTheZScoreWithoutFailing) {
  AnalyticsConfig cfg;
  cfg.detector = Detector::isolation_forest;
  cfg.isolation_forest_model = "never_trained";
  AnalyticsStage stage(cfg, *bus_, metrics_, clock_, open_registry());
  ASSERT_TRUE(stage.start().ok());
  EXPECT_FALSE(stage.forest_active());
  stage.stop();
}

}  // namespace
}  // namespace envmon::analytics
