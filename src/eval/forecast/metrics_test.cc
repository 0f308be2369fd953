#include "eval/forecast/metrics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace envmon::eval {
namespace {

TEST(Metrics, HandComputedCase) {
  // errors: +1, -2, (masked), +3 ; actuals 2, 4, NaN, 6
  const std::vector<double> actual = {2, 4, std::nan(""), 6};
  const std::vector<double> mean = {3, 2, 5, 9};
  const std::vector<double> lower = {1, 4.5, 0, 5};
  const std::vector<double> upper = {4, 5, 9, 8};
  MetricsAccumulator acc;
  acc.add(actual, mean, lower, upper);
  const Metrics m = acc.result(2.0);
  EXPECT_EQ(m.count, 3u);
  EXPECT_DOUBLE_EQ(m.mae, 2.0);
  EXPECT_DOUBLE_EQ(m.rmse, std::sqrt(14.0 / 3));
  EXPECT_DOUBLE_EQ(m.smape, 100.0 / 3 * (2.0 / 5 + 4.0 / 6 + 6.0 / 15));
  EXPECT_DOUBLE_EQ(m.mase, 1.0);
  EXPECT_DOUBLE_EQ(m.coverage, 2.0 / 3);  // 2 in [1, 4], 4 not in [4.5, 5], 6 in [5, 8]
}

TEST(Metrics, CoverageCountsBoundsAsInside) {
  MetricsAccumulator acc;
  acc.add(5, 5, 5, 5);
  acc.add(0, 0, 0, 0);  // 0/0 sMAPE term counts as 0
  const Metrics m = acc.result(1);
  EXPECT_DOUBLE_EQ(m.coverage, 1);
  EXPECT_DOUBLE_EQ(m.smape, 0);
}

TEST(Metrics, EmptyIsNaN) {
  EXPECT_TRUE(std::isnan(MetricsAccumulator{}.result(1).mase));
}

TEST(Metrics, SeasonalNaiveScale) {
  const std::vector<double> y = {1, 2, 4, 4, std::nan(""), 8};
  // pairs (t, t-2): |4-1|, |4-2|, (masked), |8-4|
  EXPECT_DOUBLE_EQ(seasonal_naive_scale(y, 2), 3.0);
}

}  // namespace
}  // namespace envmon::eval
