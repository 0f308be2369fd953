#include "eval/forecast/backtest.h"

#include <gtest/gtest.h>

#include "eval/forecast/model_factory.h"
#include "models/forecaster/test_series.h"

namespace envmon::eval {
namespace {

std::vector<ModelEntry> baselines() {
  std::vector<ModelEntry> m;
  for (const char* name : {"seasonal_naive", "holt_winters", "additive"}) {
    m.push_back({name, [name] { return make_model(name, ModelOptions{}); }});
  }
  return m;
}

TEST(Backtest, OriginsAndScoresWithoutLeakage) {
  models::testing::Synthetic s;
  s.slope_per_hour = 0;
  auto y = s.series(24 * 120);
  for (size_t i = 2000; i < 2010; ++i) y[i] = std::nan("");  // gaps are masked
  y.push_back(std::nan(""));  // trailing missing hours are not forecast
  BacktestConfig c;
  c.test_origins = 6;
  c.validation_origins = 4;
  auto r = run_backtest(s.history(y), baselines(), c, true);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->test_origins.size(), 6u);
  EXPECT_EQ(r->test_origins.back(), 24u * 120 - 24);
  EXPECT_LE(r->validation_origins.back() + 24, r->test_origins.front());
  EXPECT_EQ(r->test_origins[1] - r->test_origins[0], 61u);
  ASSERT_EQ(r->scores.size(), 4u);
  EXPECT_EQ(r->scores.back().model, "ensemble");
  double weights = 0;
  for (const auto& score : r->scores) {
    EXPECT_EQ(score.test.count, 6u * 24) << score.model;
    EXPECT_TRUE(score.failures.empty()) << score.model << ": " << score.failures.front();
    EXPECT_GT(score.test.coverage, 0.4) << score.model;
    if (score.model != "ensemble") weights += score.weight;
  }
  EXPECT_NEAR(weights, 1, 1e-12);
  // Noise only around a fixed daily pattern: the seasonal naive scale is the noise's MAE·√2 and
  // a model that averages the pattern (additive) beats the naive forecast.
  EXPECT_NEAR(r->scores[0].test.mase, 1.0, 0.25);
  EXPECT_LT(r->scores[2].test.mase, r->scores[0].test.mase);
  EXPECT_LE(r->scores.back().test.mase, r->scores[0].test.mase);
}

TEST(Backtest, TooShortSeriesIsAnError) {
  models::testing::Synthetic s;
  const auto y = s.series(24 * 20);
  auto r = run_backtest(s.history(y), baselines(), BacktestConfig{}, true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("too short"), std::string::npos);
}

TEST(Backtest, AModelThatCannotFitLeavesItsForecastsMissing) {
  models::testing::Synthetic s;
  auto y = s.series(24 * 120);
  std::vector<ModelEntry> m = {{"broken", [] {
    return make_model("no_such_model", ModelOptions{});
  }}};
  BacktestConfig c;
  c.test_origins = 3;
  c.validation_origins = 2;
  auto r = run_backtest(s.history(y), m, c, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scores[0].test.count, 0u);
  EXPECT_FALSE(r->scores[0].failures.empty());
}

}  // namespace
}  // namespace envmon::eval
