#include "models/range_warmup/range_warmup.h"

#include <gtest/gtest.h>

namespace envmon::models {
namespace {

TEST(RangeWarmupTest, HandsBackTheRangeAndTheValuesOnceTheLastArrives) {
  RangeWarmup w(3);
  EXPECT_FALSE(w.add(5.0));
  EXPECT_FALSE(w.add(-2.0));
  const auto r = w.add(4.0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->min, -2.0);
  EXPECT_EQ(r->max, 5.0);
  EXPECT_EQ(r->values, (std::vector<double>{5.0, -2.0, 4.0}));
  EXPECT_FALSE(w.add(100.0));  // once only
}

TEST(RangeWarmupTest, ANonPositiveCountMeansOneValue) {
  RangeWarmup w(0);
  const auto r = w.add(7.0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->min, 7.0);
  EXPECT_EQ(r->max, 7.0);
}

}  // namespace
}  // namespace envmon::models
