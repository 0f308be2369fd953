#include "transforms/dedupe/dedupe.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

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

// The definition, kept naive: every point within the window behind the newest, in a map.
class ReferenceDedupe {
 public:
  DedupeVerdict check(int64_t t, double v, int64_t w) {
    if (auto it = points_.find(t); it != points_.end()) {
      const bool same = it->second == v || (std::isnan(it->second) && std::isnan(v));
      return same ? DedupeVerdict::duplicate : DedupeVerdict::conflict;
    }
    if (!points_.empty() && t < points_.rbegin()->first - w) return DedupeVerdict::fresh;
    points_[t] = v;
    points_.erase(points_.begin(), points_.lower_bound(points_.rbegin()->first - w));
    return DedupeVerdict::fresh;
  }
  size_t size() const { return points_.size(); }

 private:
  std::map<int64_t, double> points_;
};

// Mostly in-order 5-minute points with late ones, repeats (same or other value, NaN) and points
// beyond the window; the fast in-order path and the bulk eviction must not change any verdict.
TEST(DedupeSeries, AgreesWithTheReferenceInOrderAndOutOfOrder) {
  const int64_t w = 40 * 300'000;
  DedupeSeries fast;
  ReferenceDedupe slow;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> kind(0, 99);
  std::uniform_int_distribution<int64_t> back(0, 60);
  int64_t newest = 0;
  for (int i = 0; i < 20000; ++i) {
    const int k = kind(rng);
    int64_t t = newest + 300'000;
    if (k < 20) t = newest - back(rng) * 300'000;  // late, sometimes beyond the window
    if (k >= 20 && k < 25) t = newest;             // repeat of the newest
    const double v = k % 7 == 0 ? std::nan("") : static_cast<double>(k % 3);
    newest = std::max(newest, t);
    ASSERT_EQ(fast.check(t, v, w), slow.check(t, v, w)) << "point " << i << " at " << t;
    ASSERT_EQ(fast.size(), slow.size()) << "point " << i;
  }
}

}  // namespace
}  // namespace envmon::transforms
