#include "models/holt_winters/holt_winters.h"

#include <gtest/gtest.h>

#include "models/forecaster/test_series.h"

namespace envmon::models {
namespace {

TEST(HoltWinters, ExactOnAPureSeasonalPattern) {
  testing::Synthetic s;
  s.slope_per_hour = 0;
  s.noise_sd = 0;
  const auto y = s.series(24 * 30);
  HoltWinters model;
  ASSERT_TRUE(model.fit(s.history(y)).ok());
  auto f = model.predict(s.history(y), 24);
  ASSERT_TRUE(f.ok());
  for (size_t h = 0; h < 24; ++h) EXPECT_NEAR(f->mean[h], s.truth(y.size() + h), 1e-3) << h;
}

TEST(HoltWinters, FollowsTrendAndSeasonWithNoise) {
  testing::Synthetic s;
  s.slope_per_hour = 0.05;
  auto y = s.series(24 * 40);
  y[100] = y[500] = std::nan("");  // gaps are stepped over
  HoltWinters model;
  ASSERT_TRUE(model.fit(s.history(y)).ok());
  auto f = model.predict(s.history(y), 24);
  ASSERT_TRUE(f.ok());
  int inside = 0;
  for (size_t h = 0; h < 24; ++h) {
    EXPECT_NEAR(f->mean[h], s.truth(y.size() + h), 3.0) << h;
    EXPECT_LT(f->lower[h], f->upper[h]);
    inside += s.truth(y.size() + h) >= f->lower[h] && s.truth(y.size() + h) <= f->upper[h];
  }
  EXPECT_GE(inside, 18);
  auto loaded = HoltWinters::load(model.save());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->predict(s.history(y), 24)->mean, f->mean);
}

}  // namespace
}  // namespace envmon::models
