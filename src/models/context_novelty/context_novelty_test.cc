#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/context_novelty/context_novelty.h"

namespace envmon::models::context_novelty {
namespace {

ContextNoveltyConfig small(int64_t fit_points) {
  ContextNoveltyConfig cfg;
  cfg.levels = 8;
  cfg.max_context_points = 4;
  cfg.fit_points = fit_points;
  return cfg;
}

// A repeating square wave 0,0,7,7: after the fit every context has been seen.
TEST(ContextNoveltyTest, AFamiliarPatternScoresZeroAndANewLevelScoresOne) {
  ContextNovelty d(small(40));
  for (int i = 0; i < 40; ++i) EXPECT_EQ(d.update(i % 4 < 2 ? 0 : 7), 0.0);  // fitting
  EXPECT_TRUE(d.fitted());
  for (int i = 40; i < 80; ++i) EXPECT_EQ(d.update(i % 4 < 2 ? 0 : 7), 0.0) << i;
  EXPECT_EQ(d.update(20), 1.0);  // beyond the fitted range: a level never seen
}

TEST(ContextNoveltyTest, AKnownLevelOnANewPathScoresInBetween) {
  ContextNovelty d(small(40));
  for (int i = 0; i < 80; ++i) d.update(i % 4 < 2 ? 0 : 7);  // ... 0 0 7 7 | next would be 0
  // A third 7: the runs (7) and (7 7) are familiar, (7 7 7) and (0 7 7 7) are new.
  EXPECT_DOUBLE_EQ(d.update(7), 1.0 - 2.0 / 4);
  // Repeated, a new pattern becomes familiar order by order.
  ContextNovelty e(small(40));
  for (int i = 0; i < 80; ++i) e.update(i % 4 < 2 ? 0 : 7);
  double first = 0, later = 0;
  for (int i = 0; i < 20; ++i) {
    const double sc = e.update(3.5);
    if (i == 1) first = sc;
    if (i == 19) later = sc;
  }
  EXPECT_GT(first, 0.5);
  EXPECT_EQ(later, 0.0);
}

TEST(ContextNoveltyTest, FlatFitAndMissingValuesNeitherCrashNorScore) {
  ContextNovelty d(small(10));
  for (int i = 0; i < 10; ++i) d.update(5.0);
  EXPECT_EQ(d.update(5.0), 0.0);
  EXPECT_EQ(d.update(std::nan("")), 0.0);
  EXPECT_EQ(d.update(6.0), 1.0);  // the first real movement of a flat series is new
}

// Noise around a level: scores stay mostly below 1, a jump far outside scores 1.
TEST(ContextNoveltyTest, NoisySeriesSeesFewNeverSeenLevels) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(50, 5);
  ContextNovelty d(ContextNoveltyConfig{});
  int ones = 0;
  for (int i = 0; i < 4000; ++i) ones += d.update(noise(rng)) == 1.0;
  EXPECT_LT(ones, 20);
  EXPECT_EQ(d.update(200), 1.0);
}

// A given range (NAB's whole-file convention) scores from the first value; given the fit
// values' own range it matches the fitted detector once that has replayed them.
TEST(ContextNoveltyTest, AGivenRangeEqualsTheSameRangeFitted) {
  std::vector<double> x;
  for (int i = 0; i < 300; ++i) x.push_back(std::sin(i * 0.5) * 3 + (i == 200 ? 8 : 0));
  ContextNovelty fitted(small(60));
  ContextNovelty given(small(60), *std::min_element(x.begin(), x.begin() + 60),
                       *std::max_element(x.begin(), x.begin() + 60));
  EXPECT_TRUE(given.fitted());
  for (size_t i = 0; i < x.size(); ++i) {
    const double a = fitted.update(x[i]);
    const double b = given.update(x[i]);
    if (i >= 60) {
      EXPECT_EQ(a, b) << i;
    }
  }
}

TEST(ContextNoveltyConfigTest, KeysAndBoundsAreNamed) {
  auto ok = config::load_text("levels: 16\nmax_context_points: 5\n", "c.yaml");
  auto cfg = parse_context_novelty_config(*ok);
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->levels, 16);
  EXPECT_EQ(cfg->fit_points, 750);
  auto bad = parse_context_novelty_config(*config::load_text("levels: 1\n", "c.yaml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("levels"), std::string::npos);
  auto unknown = parse_context_novelty_config(*config::load_text("level: 4\n", "c.yaml"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("level"), std::string::npos);
}

}  // namespace
}  // namespace envmon::models::context_novelty
