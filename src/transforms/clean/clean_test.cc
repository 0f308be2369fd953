#include "transforms/clean/clean.h"

#include <cmath>

#include <gtest/gtest.h>

namespace envmon::transforms {
namespace {

constexpr int64_t kPoll = 300'000;

struct Series {
  CleanSeries s;
  CleanConfig cfg;
  std::vector<FillPoint> fills;
  Measurement feed(int64_t tick, double v, Metric m = Metric::pm25) {
    Measurement x{m, v, std::nan(""), "", 0};
    s.clean(from_unix_ms(tick * kPoll), x, cfg, kPoll, fills);
    return x;
  }
};

TEST(CleanSeries, OutOfBoundsIsMaskedKeepingRaw) {
  Series t;
  const auto m = t.feed(0, -3);
  EXPECT_TRUE(has_flag(m.flags, Flag::out_of_bounds));
  EXPECT_TRUE(std::isnan(m.value));
  EXPECT_EQ(m.raw, -3);
}

TEST(CleanSeries, SpikeIsMaskedAndNoiseIsNot) {
  Series t;
  for (int i = 0; i < 10; ++i) EXPECT_EQ(t.feed(i, 40 + (i % 3)).flags, 0);
  const auto spike = t.feed(10, 500);
  EXPECT_TRUE(has_flag(spike.flags, Flag::spike));
  EXPECT_EQ(spike.raw, 500);
  EXPECT_EQ(t.feed(11, 43).flags, 0);
}

TEST(CleanSeries, OutlierAgainstTheRollingMedian) {
  Series t;
  t.cfg.spike_ratio = 1000;  // isolate the MAD test
  for (int i = 0; i < 10; ++i) t.feed(i, 40 + (i % 3));
  EXPECT_TRUE(has_flag(t.feed(10, 120).flags, Flag::outlier));
}

TEST(CleanSeries, FlatSeriesDoesNotFlagSmallNoise) {
  Series t;
  for (int i = 0; i < 10; ++i) t.feed(i, 1013.0 + (i % 2) * 0.01, Metric::pressure);
  EXPECT_EQ(t.feed(10, 1014.5, Metric::pressure).flags, 0);  // MAD ~0 but below the minimum delta
}

TEST(CleanSeries, StuckRunIsMasked) {
  Series t;
  t.cfg.stuck_run_min = 4;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.feed(i, 21.5, Metric::temperature).flags, 0);
  EXPECT_TRUE(has_flag(t.feed(3, 21.5, Metric::temperature).flags, Flag::stuck));
  EXPECT_EQ(t.feed(4, 21.6, Metric::temperature).flags, 0);
}

TEST(CleanSeries, LevelShiftIsAcceptedAfterHalfAWindow) {
  Series t;
  for (int i = 0; i < 15; ++i) t.feed(i, 40);
  int masked = 0;
  for (int i = 15; i < 30; ++i) masked += is_masked(t.feed(i, 300 + (i % 2)).flags) ? 1 : 0;
  EXPECT_EQ(masked, 6);  // 15 / 2 = 7th anomaly in a row is accepted as the new level
}

TEST(CleanSeries, ShortGapIsInterpolatedAndMaskedPointsFilled) {
  Series t;
  for (int i = 0; i < 6; ++i) t.feed(i, 40);
  t.feed(6, 5000);  // out of bounds, masked
  t.feed(9, 46);    // ticks 7 and 8 missing
  ASSERT_EQ(t.fills.size(), 3u);
  EXPECT_EQ(to_unix_ms(t.fills[0].at), 6 * kPoll);
  EXPECT_DOUBLE_EQ(t.fills[0].m.value, 41.5);  // 40 at tick 5 .. 46 at tick 9
  EXPECT_TRUE(has_flag(t.fills[0].m.flags, Flag::out_of_bounds));
  EXPECT_TRUE(has_flag(t.fills[0].m.flags, Flag::interpolated));
  EXPECT_EQ(t.fills[0].m.raw, 5000);
  EXPECT_DOUBLE_EQ(t.fills[1].m.value, 43);
  EXPECT_EQ(t.fills[1].m.flags, static_cast<FlagSet>(Flag::interpolated));
  EXPECT_DOUBLE_EQ(t.fills[2].m.value, 44.5);
}

TEST(CleanSeries, LongGapIsNotInterpolated) {
  Series t;
  t.cfg.max_gap_secs = 600;
  t.feed(0, 40);
  t.feed(5, 41);
  EXPECT_TRUE(t.fills.empty());
}

TEST(CleanSeries, LatePointIsFlaggedAndChecked) {
  Series t;
  for (int i = 0; i < 10; ++i) t.feed(i, 40);
  Measurement late{Metric::pm25, 41, std::nan(""), "", 0};
  t.s.clean(from_unix_ms(3 * kPoll + 1000), late, t.cfg, kPoll, t.fills);
  EXPECT_EQ(late.flags, static_cast<FlagSet>(Flag::late));
  Measurement bad{Metric::pm25, 400, std::nan(""), "", 0};
  t.s.clean(from_unix_ms(4 * kPoll + 1000), bad, t.cfg, kPoll, t.fills);
  EXPECT_TRUE(has_flag(bad.flags, Flag::late));
  EXPECT_TRUE(has_flag(bad.flags, Flag::outlier));
}

}  // namespace
}  // namespace envmon::transforms
