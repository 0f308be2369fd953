#include "transforms/dedupe/dedupe.h"

#include <gtest/gtest.h>

namespace envmon::transforms {
namespace {

TEST(DedupeSeries, ExactDuplicateAndConflict) {
  DedupeSeries s;
  const int64_t w = 3'600'000;
  EXPECT_EQ(s.check(1000, 5.0, w), DedupeVerdict::fresh);
  EXPECT_EQ(s.check(1000, 5.0, w), DedupeVerdict::duplicate);
  EXPECT_EQ(s.check(1000, 6.0, w), DedupeVerdict::conflict);
  EXPECT_EQ(s.check(2000, 6.0, w), DedupeVerdict::fresh);
}

TEST(DedupeSeries, OutOfOrderPointsAreRemembered) {
  DedupeSeries s;
  const int64_t w = 3'600'000;
  EXPECT_EQ(s.check(5000, 1, w), DedupeVerdict::fresh);
  EXPECT_EQ(s.check(3000, 2, w), DedupeVerdict::fresh);
  EXPECT_EQ(s.check(3000, 2, w), DedupeVerdict::duplicate);
  EXPECT_EQ(s.check(5000, 1, w), DedupeVerdict::duplicate);
}

TEST(DedupeSeries, StateStaysBoundedByTheWindow) {
  DedupeSeries s;
  const int64_t w = 10 * 300'000;
  for (int64_t i = 0; i < 10000; ++i) EXPECT_EQ(s.check(i * 300'000, 1, w), DedupeVerdict::fresh);
  EXPECT_LE(s.size(), 11u);
  // Older than the window: cannot be checked, reported fresh (the cleaner flags it late).
  EXPECT_EQ(s.check(0, 1, w), DedupeVerdict::fresh);
}

}  // namespace
}  // namespace envmon::transforms
