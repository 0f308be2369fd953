#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/cad_ose/cad_ose.h"

// Counts every allocation of this test binary, so a test can check that a detector step
// allocates nothing (replacing the global allocation functions is the standard way to see them).
namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n > 0 ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace envmon::models::cad_ose {
namespace {

CadOseConfig small(int64_t fit_points, int64_t rest_points) {
  CadOseConfig cfg;
  cfg.fit_points = fit_points;
  cfg.rest_points = rest_points;
  return cfg;
}

double square_wave(int i) { return i % 8 < 4 ? 0.0 : 7.0; }

// A repeating pattern becomes predicted (score 0); a jump to a level never seen, on a path
// never seen, scores high.
TEST(CadOseTest, ALearntPatternScoresZeroAndANewLevelScoresHigh) {
  CadOse d(small(40, 10));
  for (int i = 0; i < 40; ++i) EXPECT_EQ(d.update(square_wave(i)), 0.0);  // fitting
  EXPECT_TRUE(d.fitted());
  double late = 0;
  for (int i = 40; i < 400; ++i) {
    const double sc = d.update(square_wave(i));
    if (i >= 200) late = std::max(late, sc);
  }
  EXPECT_EQ(late, 0.0);
  EXPECT_GE(d.update(3.0), 0.5);
  EXPECT_GT(d.contexts(), 0U);
}

// Once a pattern is learnt, a step that learns nothing reuses its buffers: no allocation.
TEST(CadOseTest, ALearntPatternScoresWithoutAllocating) {
  CadOse d(small(40, 10));
  for (int i = 0; i < 2000; ++i) d.update(square_wave(i));
  const size_t before = g_allocations.load();
  double late = 0;
  for (int i = 2000; i < 2400; ++i) late = std::max(late, d.update(square_wave(i)));
  EXPECT_EQ(g_allocations.load() - before, 0U);
  EXPECT_EQ(late, 0.0);
}

// After a raw score >= base_threshold the next rest_points scores are reported as 0.
TEST(CadOseTest, ARestPeriodFollowsAnAlarm) {
  CadOse d(small(40, 20));
  for (int i = 0; i < 400; ++i) d.update(square_wave(i));
  ASSERT_GE(d.update(3.0), 0.75);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(d.update(i % 2 ? 1.0 : 5.0), 0.0) << i;
}

// Fitting the range on the first values gives the same scores afterwards as being given that
// range: the fit values are replayed into the memory.
TEST(CadOseTest, AFittedRangeEqualsTheSameRangeGiven) {
  std::vector<double> x;
  for (int i = 0; i < 600; ++i) x.push_back(10 + 5 * std::sin(i * 0.3) + (i == 450 ? 9 : 0));
  CadOse fitted(small(100, 30));
  CadOse given(small(100, 30), *std::min_element(x.begin(), x.begin() + 100),
               *std::max_element(x.begin(), x.begin() + 100));
  for (size_t i = 0; i < x.size(); ++i) {
    const double a = fitted.update(x[i]);
    const double b = given.update(x[i]);
    if (i >= 100) {
      EXPECT_EQ(a, b) << i;
    }
  }
}

TEST(CadOseTest, NonFiniteValuesScoreZeroAndLeaveTheStateAlone) {
  CadOse d(small(2, 5), 0.0, 7.0);
  EXPECT_EQ(d.update(std::nan("")), 0.0);
  EXPECT_EQ(d.update(INFINITY), 0.0);
  EXPECT_EQ(d.contexts(), 0U);
}

TEST(CadOseConfigTest, KeysAndBoundsAreNamed) {
  auto cfg = parse_cad_ose_config(*config::load_text("rest_points: 150\n", "c.yaml"));
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->rest_points, 150);
  EXPECT_EQ(cfg->value_bits, 3);
  auto bad = parse_cad_ose_config(*config::load_text("base_threshold: 2\n", "c.yaml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("base_threshold"), std::string::npos);
  auto unknown = parse_cad_ose_config(*config::load_text("rest: 4\n", "c.yaml"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("rest"), std::string::npos);
}

}  // namespace
}  // namespace envmon::models::cad_ose
