#include "transforms/clean/rolling_median.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <vector>

namespace envmon::transforms {
namespace {

// The definition: sort the last `window` values on every question.
struct NaiveWindow {
  std::deque<double> values;
  void push(double v, size_t window) {
    if (values.size() == window) values.pop_front();
    values.push_back(v);
  }
  double median() const {
    std::vector<double> s(values.begin(), values.end());
    std::sort(s.begin(), s.end());
    const size_t n = s.size();
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  double mad() const {
    const double med = median();
    std::vector<double> d;
    for (double v : values) d.push_back(std::abs(v - med));
    std::sort(d.begin(), d.end());
    return d[d.size() / 2];
  }
};

TEST(RollingMedian, MedianAndMadMatchASortedCopyForEveryWindowSize) {
  std::mt19937_64 rng(3);
  for (size_t window : {size_t{3}, size_t{4}, size_t{15}, size_t{16}, kMaxMedianWindow}) {
    RollingMedian fast;
    NaiveWindow slow;
    // Few distinct values (many ties, signed zeros), then a wide spread.
    std::uniform_int_distribution<int> small(-3, 3);
    std::normal_distribution<double> wide(40, 15);
    for (int i = 0; i < 3000; ++i) {
      const double v = i < 1500 ? (small(rng) == 0 && i % 2 ? -0.0 : small(rng)) : wide(rng);
      fast.push(v, window);
      slow.push(v, window);
      ASSERT_EQ(fast.count(), slow.values.size());
      ASSERT_EQ(fast.median(), slow.median()) << "window " << window << " value " << i;
      ASSERT_EQ(fast.mad(), slow.mad()) << "window " << window << " value " << i;
    }
  }
}

TEST(RollingMedian, ClearRestartsTheWindowFromTheNextValue) {
  RollingMedian w;
  for (double v : {1.0, 2.0, 3.0, 4.0, 100.0}) w.push(v, 3);
  EXPECT_EQ(w.median(), 4.0);  // 3, 4, 100
  w.clear();
  EXPECT_EQ(w.count(), 0u);
  w.push(7, 3);
  w.push(5, 3);
  EXPECT_EQ(w.median(), 6.0);
  w.push(9, 3);
  w.push(1, 3);  // evicts 7, the oldest since the clear
  EXPECT_EQ(w.median(), 5.0);
  EXPECT_EQ(w.mad(), 4.0);  // |1-5|, |5-5|, |9-5|
}

}  // namespace
}  // namespace envmon::transforms
