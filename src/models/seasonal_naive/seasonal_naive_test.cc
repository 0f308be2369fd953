#include "models/seasonal_naive/seasonal_naive.h"

#include <gtest/gtest.h>

#include "models/forecaster/test_series.h"

namespace envmon::models {
namespace {

TEST(SeasonalNaive, RepeatsYesterdayExactly) {
  testing::Synthetic s;
  s.slope_per_hour = 0;
  s.noise_sd = 0;
  const auto y = s.series(24 * 10);
  SeasonalNaive model;
  ASSERT_TRUE(model.fit(s.history(y)).ok());
  auto f = model.predict(s.history(y), 24);
  ASSERT_TRUE(f.ok());
  for (size_t h = 0; h < 24; ++h) {
    EXPECT_DOUBLE_EQ(f->mean[h], s.truth(y.size() + h));
    EXPECT_DOUBLE_EQ(f->lower[h], f->mean[h]);  // no seasonal differences: a zero-width interval
  }
}

TEST(SeasonalNaive, StepsBackOverMissingValues) {
  std::vector<double> y = {1, 2, 3, 4, 5, 6};
  y[4] = std::nan("");
  const auto mean = seasonal_naive_mean(y, 2, 3);
  EXPECT_EQ(mean[0], 3);  // y[4] missing -> one season further back
  EXPECT_EQ(mean[1], 6);
  EXPECT_EQ(mean[2], 3);
}

TEST(SeasonalNaive, SavesAndLoads) {
  testing::Synthetic s;
  const auto y = s.series(24 * 20);
  SeasonalNaive model;
  ASSERT_TRUE(model.fit(s.history(y)).ok());
  auto loaded = SeasonalNaive::load(model.save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)->predict(s.history(y), 24)->upper, model.predict(s.history(y), 24)->upper);
  EXPECT_FALSE(SeasonalNaive::load("{\"format\":\"envmon-model\",\"kind\":\"additive\",\"version\":1,\"body\":{}}").ok());
  auto broken = SeasonalNaive::load(R"({"format":"envmon-model","kind":"seasonal_naive","version":1,"body":{}})");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message().find("period_hours"), std::string::npos) << broken.error().message();
}

TEST(SeasonalNaive, RefusesTooShortHistory) {
  std::vector<double> y(30, 1.0);
  SeasonalNaive model;
  EXPECT_FALSE(model.fit(testing::Synthetic{}.history(y)).ok());
}

}  // namespace
}  // namespace envmon::models
