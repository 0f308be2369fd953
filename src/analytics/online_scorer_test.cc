#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analytics/online_scorer.h"
#include "analytics/test_readings.h"
#include "bus/bus.h"
#include "config/node.h"

namespace envmon::analytics {
namespace {

using testing::daily_readings;

AnalyticsConfig config_for(const std::string& yaml) {
  auto node = config::load_text(yaml, "analytics.yaml");
  EXPECT_TRUE(node.ok());
  auto cfg = parse_analytics_config(*node);
  EXPECT_TRUE(cfg.ok()) << cfg.error().to_string();
  return *cfg;
}

TEST(OnlineScorerTest, ReportsSpikesWithWhatDroveThem) {
  auto readings = daily_readings("delhi", 3, 1);
  // 02:00 on day 3: a pollution burst that moves pm25 and temperature together, then a spike the
  // cleaner masked.
  readings[600].measurements[0].value = 150;
  readings[600].measurements[1].value = 31;
  testing::mask_as_spike(readings[700].measurements[0], 900);
  OnlineScorer scorer(config_for("metrics: [pm25, temperature]\n"));
  std::vector<store::AnomalyRecord> found;
  for (const auto& r : readings) scorer.score(r, false, found);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].at, readings[600].observed_at);
  EXPECT_EQ(found[0].metric, Metric::pm25);
  EXPECT_EQ(found[1].metric, Metric::temperature);
  const auto ex = nlohmann::json::parse(found[0].explanation_json);
  EXPECT_EQ(ex["detector"], "robust_zscore");
  EXPECT_EQ(ex["direction"], "high");
  EXPECT_TRUE(ex["related_metrics"].contains("temperature"));
  EXPECT_GT(found[0].score, 4.0);
  EXPECT_DOUBLE_EQ(found[0].value, 150);

  EXPECT_EQ(found[2].at, readings[700].observed_at);
  EXPECT_DOUBLE_EQ(found[2].value, 900);  // the raw value the cleaner masked
  EXPECT_EQ(nlohmann::json::parse(found[2].explanation_json)["cleaner_flags"][0], "spike");
  EXPECT_EQ(scorer.series(), 2u);
}

TEST(OnlineScorerTest, ReplayLearnsButReportsNothing) {
  auto readings = daily_readings("lagos", 2, 2);
  readings[500].measurements[0].value = 400;
  OnlineScorer scorer(config_for("metrics: [pm25]\n"));
  std::vector<store::AnomalyRecord> found;
  for (const auto& r : readings) scorer.score(r, true, found);
  EXPECT_TRUE(found.empty());
  EXPECT_EQ(scorer.counts().scored, static_cast<int64_t>(readings.size()));
}

TEST(OnlineScorerTest, SkipsWhatIsNotObservedAndHonoursTheSeriesCap) {
  auto readings = daily_readings("berlin", 1, 3);
  set_flag(readings[10].measurements[0].flags, Flag::interpolated);
  set_flag(readings[11].measurements[0].flags, Flag::stuck);
  readings[11].measurements[0].raw = 60;
  readings[11].measurements[0].value = std::nan("");
  OnlineScorer scorer(config_for("metrics: [pm25]\nmax_series: 1\n"));
  std::vector<store::AnomalyRecord> found;
  for (const auto& r : readings) scorer.score(r, false, found);
  for (const auto& r : daily_readings("tokyo", 1, 4)) scorer.score(r, false, found);
  EXPECT_EQ(scorer.counts().skipped_interpolated, 1);
  EXPECT_EQ(scorer.counts().skipped_masked, 1);
  EXPECT_EQ(scorer.counts().skipped_series_cap, 288);
  scorer.drop_partition(bus::partition_for("berlin", 4), 4);
  EXPECT_EQ(scorer.series(), 0u);
}

TEST(AnalyticsConfigTest, DefaultsAndBadValuesNamed) {
  auto defaults = parse_analytics_config(config::Node());
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->mode, AnalyticsMode::streaming);
  EXPECT_EQ(defaults->metric_list.size(), 9u);  // pollutants, temperature, humidity, pressure
  auto node = config::load_text("metrics: [pm25, smog]\n", "a.yaml");
  auto bad = parse_analytics_config(*node);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("unknown metric 'smog'"), std::string::npos);
  auto nested = config::load_text("robust_zscore:\n  threshold: 0.1\n", "a.yaml");
  auto n = parse_analytics_config(*nested);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.error().message().find("a.yaml:2"), std::string::npos);
  auto km = config::load_text("clusters: {k_max: 1}\n", "a.yaml");
  EXPECT_FALSE(parse_analytics_config(*km).ok());
  auto det = parse_analytics_config(*config::load_text("detector: forest\n", "a.yaml"));
  ASSERT_FALSE(det.ok());
  EXPECT_NE(det.error().message().find("detector"), std::string::npos) << det.error().message();
  auto thr = parse_analytics_config(
      *config::load_text("isolation_forest_threshold: 1.5\n", "a.yaml"));
  ASSERT_FALSE(thr.ok());
  EXPECT_NE(thr.error().message().find("isolation_forest_threshold"), std::string::npos)
      << thr.error().message();
}

}  // namespace
}  // namespace envmon::analytics
