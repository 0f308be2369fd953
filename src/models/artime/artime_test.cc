#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/artime/artime.h"
#include "models/artime/dual_vigilance_art.h"

namespace envmon::models::artime {
namespace {

// A daily-like pattern: a smooth cycle of 48 points with a little deterministic jitter.
double cycle(int i) { return 50.0 + 20.0 * std::sin(i * 2.0 * M_PI / 48.0) + (i * 7 % 5) * 0.2; }

ArtimeConfig learning(int64_t points) {
  ArtimeConfig cfg;
  cfg.probation_points = points;
  return cfg;
}

TEST(DualVigilanceArtTest, ALearntSampleResonatesAndAnUnlikeOneIsNovel) {
  DualVigilanceArt art(4);
  art.set_vigilance(0.8, 0.9);
  const std::vector<double> a = {0.1, 0.2, 0.3, 0.4};
  EXPECT_FALSE(art.present(a).novel);  // the first sample only seeds the network
  EXPECT_TRUE(art.present(a).novel);   // nothing resonates with the seed: a new cluster
  const auto again = art.present(a);
  EXPECT_FALSE(again.novel);
  EXPECT_DOUBLE_EQ(again.match, 1.0);
  EXPECT_TRUE(art.present(std::vector<double>{0.9, 0.9, 0.0, 1.0}).novel);
  const size_t before = art.categories();
  art.present(std::vector<double>{0.5, 0.0, 1.0, 0.2}, /*learn=*/false);
  EXPECT_EQ(art.categories(), before);  // presenting without learning changes nothing
}

// The learning period scores 0; a learnt cycle stays quiet; a jump to a level never seen
// fires.
TEST(ArtimeTest, ALearntCycleIsQuietAndAJumpFires) {
  Artime d(learning(600));
  for (int i = 0; i < 600; ++i) EXPECT_EQ(d.update(cycle(i)), 0.0);
  EXPECT_TRUE(d.fitted());
  int late_alarms = 0;
  for (int i = 600; i < 2400; ++i) late_alarms += d.update(cycle(i)) > 0 && i > 1400 ? 1 : 0;
  EXPECT_EQ(late_alarms, 0);
  double peak = 0;
  for (int i = 2400; i < 2440; ++i) peak = std::max(peak, d.update(cycle(i) + 15.0));
  EXPECT_GT(peak, 0.3);
  EXPECT_LE(peak, 1.0);
}

// Given the learning period's own range widened by range_margin, the detector scores exactly as
// the causal one that learnt that range (the learning values are replayed).
TEST(ArtimeTest, TheCausalRangeReplaysTheLearningPeriod) {
  std::vector<double> xs;
  for (int i = 0; i < 1500; ++i) xs.push_back(i == 1000 ? 40.0 : cycle(i));
  const auto [lo, hi] = std::minmax_element(xs.begin(), xs.begin() + 450);
  Artime causal(learning(450));
  const double margin = 0.5 * (*hi - *lo);  // range_margin's default
  Artime given(learning(450), *lo - margin, *hi + margin);
  for (size_t i = 0; i < xs.size(); ++i) {
    const double a = causal.update(xs[i]);
    const double b = given.update(xs[i]);
    if (i >= 450) {
      EXPECT_DOUBLE_EQ(a, b) << i;
    }
  }
}

// Headroom: with no margin a later level shift beyond the learnt range clamps to the end level
// (one flat level), with the margin it keeps its own levels; both still fire on the shift.
TEST(ArtimeTest, TheMarginKeepsLevelsBeyondTheLearntRange) {
  ArtimeConfig clamped = learning(600);
  clamped.range_margin = 0;
  Artime a(clamped), b(learning(600));
  double peak = 0;
  for (int i = 0; i < 3000; ++i) {
    const double v = cycle(i) + (i >= 2000 ? 30.0 : 0.0);  // a shift above everything learnt
    a.update(v);
    const double s = b.update(v);
    if (i >= 2000) peak = std::max(peak, s);
  }
  EXPECT_GT(peak, 0.0);
  EXPECT_GT(b.categories(), 0U);
  EXPECT_NE(a.categories(), b.categories());  // the two saw different windows after the shift
}

TEST(ArtimeTest, ANonFiniteValueScoresZeroAndIsSkipped) {
  Artime d(learning(100), 0.0, 100.0);
  EXPECT_EQ(d.update(std::nan("")), 0.0);
  EXPECT_EQ(d.update(INFINITY), 0.0);
  for (int i = 0; i < 300; ++i) {
    const double s = d.update(cycle(i));
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
}

TEST(ArtimeConfigTest, ParsesAndRejectsOutOfBoundsAndUnknownKeys) {
  auto cfg = parse_artime_config(*config::load_text("window: 16\nlevels: 40\n", "a.yaml"));
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_EQ(cfg->window, 16);
  EXPECT_EQ(cfg->levels, 40);
  auto bad = parse_artime_config(*config::load_text("median_snap: 2\n", "a.yaml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("median_snap"), std::string::npos);
  EXPECT_FALSE(parse_artime_config(*config::load_text("windows: 4\n", "a.yaml")).ok());
}

}  // namespace
}  // namespace envmon::models::artime
