#include "transforms/aggregate/aggregate.h"

#include <gtest/gtest.h>

namespace envmon::transforms {
namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kLate = 3 * kHourMs;

TEST(AggregateSeries, AccumulatesThenEmitsWhenTheWatermarkPasses) {
  AggregateSeries s;
  HourBucket* b = nullptr;
  for (int i = 0; i < 12; ++i) EXPECT_EQ(s.add(i * 5 * kMin, i, INT64_MIN, kLate, b), AddResult::pending);
  std::vector<HourBucket> emitted;
  s.close_until(kHourMs - 1, kLate, [&](const HourBucket& x) { emitted.push_back(x); });
  EXPECT_TRUE(emitted.empty());
  s.close_until(kHourMs, kLate, [&](const HourBucket& x) { emitted.push_back(x); });
  ASSERT_EQ(emitted.size(), 1u);
  EXPECT_EQ(emitted[0].count, 12);
  EXPECT_DOUBLE_EQ(emitted[0].mean(), 5.5);
  EXPECT_EQ(emitted[0].min, 0);
  EXPECT_EQ(emitted[0].max, 11);
  EXPECT_EQ(emitted[0].revision, 0);
}

TEST(AggregateSeries, LateValueRevisesWithinLatenessOnly) {
  AggregateSeries s;
  HourBucket* b = nullptr;
  s.add(10 * kMin, 1, INT64_MIN, kLate, b);
  s.close_until(kHourMs + kMin, kLate, [](const HourBucket&) {});
  ASSERT_EQ(s.add(20 * kMin, 3, kHourMs + kMin, kLate, b), AddResult::emit);
  EXPECT_EQ(b->revision, 1);
  EXPECT_EQ(b->count, 2);
  EXPECT_DOUBLE_EQ(b->mean(), 2);
  EXPECT_EQ(s.add(30 * kMin, 3, kHourMs + kLate, kLate, b), AddResult::too_late);
}

TEST(AggregateSeries, ClosedHourWithoutDataEmitsRevisionZero) {
  AggregateSeries s;
  HourBucket* b = nullptr;
  ASSERT_EQ(s.add(10 * kMin, 7, 2 * kHourMs, kLate, b), AddResult::emit);
  EXPECT_EQ(b->revision, 0);
}

TEST(AggregateSeries, StateIsBoundedByLateness) {
  AggregateSeries s;
  HourBucket* b = nullptr;
  for (int64_t h = 0; h < 500; ++h) {
    s.add(h * kHourMs, 1, h * kHourMs, kLate, b);
    s.close_until(h * kHourMs, kLate, [](const HourBucket&) {});
  }
  EXPECT_LE(s.size(), 5u);
}

TEST(AggregateSeries, FlushOpenEmitsProvisionalHours) {
  AggregateSeries s;
  HourBucket* b = nullptr;
  s.add(0, 1, INT64_MIN, kLate, b);
  int n = 0;
  s.flush_open([&](const HourBucket&) { ++n; });
  s.flush_open([&](const HourBucket&) { ++n; });
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace envmon::transforms
