#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/node.h"
#include "models/robust_zscore/robust_zscore.h"

namespace envmon::models::robust_zscore {
namespace {

double brute_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

TEST(RollingWindowTest, MedianAndMadMatchBruteForceWhileEvicting) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(10, 3);
  for (size_t cap : {1u, 2u, 5u, 24u}) {
    RollingWindow w(cap);
    std::vector<double> all;
    for (int i = 0; i < 200; ++i) {
      const double x = std::round(noise(rng) * 4) / 4;  // ties on purpose
      w.push(x);
      all.push_back(x);
      std::vector<double> last(all.end() - static_cast<long>(std::min(all.size(), cap)), all.end());
      const double m = brute_median(last);
      std::vector<double> dev;
      for (double v : last) dev.push_back(std::abs(v - m));
      ASSERT_DOUBLE_EQ(w.median(), m) << "cap " << cap << " i " << i;
      ASSERT_DOUBLE_EQ(w.mad(), brute_median(dev)) << "cap " << cap << " i " << i;
      ASSERT_EQ(w.oldest_first(), last);
    }
  }
}

// Five days of a 5-minute series with a daily cycle (peak at 14:00) and noise.
struct Series {
  std::vector<Timestamp> t;
  std::vector<double> x;
};
Series daily_series(int days, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1.5);
  Series s;
  const Timestamp start = from_unix_ms(1767225600000);  // 2026-01-01T00:00Z
  for (int i = 0; i < days * 288; ++i) {
    const double hour = (i % 288) / 12.0;
    s.t.push_back(start + Millis(int64_t{i} * 300000));
    s.x.push_back(40 + 25 * std::cos((hour - 14) / 24 * 2 * M_PI) + noise(rng));
  }
  return s;
}

TEST(RobustZScoreTest, FlagsInjectedSpikesAndNothingElse) {
  Series s = daily_series(5, 11);
  const std::vector<size_t> spikes = {400, 700, 1100, 1300};
  for (size_t i : spikes) s.x[i] += 30;
  RobustZScore d{RobustZScoreConfig{}};
  std::vector<size_t> flagged;
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (d.update(s.t[i], s.x[i]).anomaly) flagged.push_back(i);
  }
  EXPECT_EQ(flagged, spikes);
}

TEST(RobustZScoreTest, ScoresAgainstTheHourOfDay) {
  Series s = daily_series(4, 3);
  RobustZScore d{RobustZScoreConfig{}};
  for (size_t i = 0; i < s.x.size(); ++i) d.update(s.t[i], s.x[i]);
  // 65 is normal at 14:00 (the peak) and far off at 02:00 (the trough, about 15).
  const Timestamp day5 = s.t.back() + Millis(300000);
  const Score afternoon = d.update(day5 + std::chrono::hours(14), 65);
  const Score night = d.update(day5 + std::chrono::hours(26), 65);
  EXPECT_FALSE(afternoon.anomaly) << afternoon.z;
  EXPECT_TRUE(night.anomaly);
  EXPECT_EQ(night.slot, 2);
  EXPECT_GT(night.z, 10);
  // The same instant in Delhi (UTC+05:30) is another local hour.
  EXPECT_EQ(d.update(day5 + std::chrono::hours(26), 15, 19800).slot, 7);
}

// A sustained step: the default baseline follows the new level within the hour; slot_median
// keeps flagging it until the slots learn it.
TEST(RobustZScoreTest, BaselineChoiceDecidesWhetherALevelShiftKeepsFiring) {
  Series s = daily_series(5, 13);
  for (size_t i = 4 * 288; i < s.x.size(); ++i) s.x[i] += 30;
  const auto flagged_after_shift = [&](Baseline b) {
    RobustZScoreConfig cfg;
    cfg.baseline = b;
    RobustZScore d(cfg);
    size_t n = 0;
    for (size_t i = 0; i < s.x.size(); ++i) n += d.update(s.t[i], s.x[i]).anomaly && i >= 4 * 288;
    return n;
  };
  EXPECT_LT(flagged_after_shift(Baseline::profile_and_level), 24u);  // under two hours
  EXPECT_GT(flagged_after_shift(Baseline::slot_median), 96u);        // over eight hours
}

TEST(RobustZScoreTest, WarmsUpBeforeScoringAndSkipsMissingValues) {
  RobustZScoreConfig cfg;
  cfg.min_points = 10;
  RobustZScore d(cfg);
  const Timestamp t0 = from_unix_ms(0);
  for (int i = 0; i < 10; ++i) {
    const Score sc = d.update(t0 + Millis(i * 300000), i == 5 ? 1000 : 20);
    EXPECT_FALSE(sc.warm);
    EXPECT_FALSE(sc.anomaly);
  }
  EXPECT_FALSE(d.update(t0, std::nan("")).warm);
  EXPECT_EQ(d.points(), 10u);
  EXPECT_TRUE(d.score(t0 + Millis(11 * 300000), 500).anomaly);  // scored, not learned
  EXPECT_EQ(d.points(), 10u);
  const Score sc = d.update(t0 + Millis(11 * 300000), 20);
  EXPECT_TRUE(sc.warm);
  EXPECT_DOUBLE_EQ(sc.scale, cfg.min_scale);  // a flat series: the floor, not a zero divide
}

TEST(RobustZScoreTest, ExplanationNamesTheFeatures) {
  Score s;
  s.z = -5.5, s.value = 3, s.baseline = 30, s.residual = -27, s.scale = 4.9, s.slot = 7;
  const auto j = nlohmann::json::parse(RobustZScore::explanation_json(s, RobustZScoreConfig{}));
  EXPECT_EQ(j["detector"], "robust_zscore");
  EXPECT_EQ(j["direction"], "low");
  EXPECT_EQ(j["features"]["hour_of_day"], 7);
  EXPECT_DOUBLE_EQ(j["features"]["residual"].get<double>(), -27);
}

TEST(RobustZScoreTest, SavedStateContinuesExactly) {
  Series s = daily_series(2, 5);
  RobustZScoreConfig cfg;
  cfg.seasonality = Seasonality::weekly;
  cfg.baseline = Baseline::slot_median;
  RobustZScore a(cfg);
  const size_t half = s.x.size() / 2;
  for (size_t i = 0; i < half; ++i) a.update(s.t[i], s.x[i]);
  auto b = RobustZScore::load(a.save());
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  EXPECT_EQ(b->points(), a.points());
  EXPECT_EQ(b->config().baseline, Baseline::slot_median);
  for (size_t i = half; i < s.x.size(); ++i) {
    const Score sa = a.update(s.t[i], s.x[i]);
    const Score sb = b->update(s.t[i], s.x[i]);
    ASSERT_EQ(sa.z, sb.z) << i;
    ASSERT_EQ(sa.slot, sb.slot);
  }
}

TEST(RobustZScoreTest, LoadRefusesBrokenState) {
  RobustZScore d{RobustZScoreConfig{}};
  d.update(from_unix_ms(0), 1);
  auto doc = nlohmann::json::parse(d.save());
  const auto load_with = [&](const std::function<void(nlohmann::json&)>& edit) {
    auto copy = doc;
    edit(copy);
    auto r = RobustZScore::load(copy.dump());
    return r.ok() ? std::string("ok") : r.error().message();
  };
  EXPECT_EQ(load_with([](auto&) {}), "ok");
  EXPECT_NE(load_with([](auto& j) { j["kind"] = "kmeans"; }).find("expected 'robust_zscore'"),
            std::string::npos);
  EXPECT_NE(load_with([](auto& j) { j["body"]["slots"].erase(0); }).find("'slots'"),
            std::string::npos);
  EXPECT_NE(load_with([](auto& j) { j["body"]["slots"][3] = {1, "x"}; }).find("slots[3]"),
            std::string::npos);
  EXPECT_NE(load_with([](auto& j) { j["body"]["config"]["seasonality"] = 5; })
                .find("config.seasonality"),
            std::string::npos);
  EXPECT_NE(load_with([](auto& j) { j["body"]["config"]["baseline"] = "level"; })
                .find("config.baseline"),
            std::string::npos);
  // A state saved before `baseline` existed loads with the default.
  EXPECT_EQ(load_with([](auto& j) { j["body"]["config"].erase("baseline"); }), "ok");
  EXPECT_NE(load_with([](auto& j) { j["body"]["config"].erase("threshold"); })
                .find("config.threshold"),
            std::string::npos);
  EXPECT_FALSE(RobustZScore::load("{garbage").ok());
}

TEST(RobustZScoreConfigTest, BadKeysAndBoundsAreNamed) {
  auto ok = config::load_text("threshold: 3.5\nseasonality: weekly\nbaseline: slot_median\n",
                              "a.yaml");
  auto cfg = parse_robust_zscore_config(*ok);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->seasonality, Seasonality::weekly);
  EXPECT_EQ(cfg->baseline, Baseline::slot_median);
  EXPECT_EQ(parse_robust_zscore_config(*config::load_text("{}", "a.yaml"))->baseline,
            Baseline::profile_and_level);
  auto typo = config::load_text("baseline: level\n", "a.yaml");
  EXPECT_NE(parse_robust_zscore_config(*typo).error().message().find("baseline"),
            std::string::npos);
  auto bad = config::load_text("min_points: 500\nresidual_window_points: 100\n", "a.yaml");
  auto r = parse_robust_zscore_config(*bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("a.yaml:1"), std::string::npos);
  EXPECT_NE(r.error().message().find("min_points"), std::string::npos);
  auto unknown = config::load_text("treshold: 3\n", "a.yaml");
  EXPECT_NE(parse_robust_zscore_config(*unknown).error().message().find("treshold"),
            std::string::npos);
}

}  // namespace
}  // namespace envmon::models::robust_zscore
