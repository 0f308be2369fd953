#include "models/ensemble/ensemble.h"

#include <gtest/gtest.h>

#include "models/forecaster/test_series.h"
#include "models/seasonal_naive/seasonal_naive.h"

namespace envmon::models {
namespace {

TEST(Ensemble, InverseErrorWeights) {
  const auto w = Ensemble::inverse_error_weights({1.0, 3.0, std::nan("")});
  EXPECT_DOUBLE_EQ(w[0], 0.75);
  EXPECT_DOUBLE_EQ(w[1], 0.25);
  EXPECT_EQ(w[2], 0);
  EXPECT_EQ(Ensemble::inverse_error_weights({std::nan(""), std::nan("")})[0], 0.5);
}

TEST(Ensemble, CombinesMeansAndBounds) {
  const Forecast a{{10, 20}, {8, 18}, {12, 22}};
  const Forecast b{{20, std::nan("")}, {10, 0}, {30, 0}};
  const Forecast c = Ensemble::combine({a, b}, {0.75, 0.25});
  EXPECT_DOUBLE_EQ(c.mean[0], 12.5);
  EXPECT_DOUBLE_EQ(c.lower[0], 8.5);
  EXPECT_DOUBLE_EQ(c.upper[0], 16.5);
  EXPECT_DOUBLE_EQ(c.mean[1], 20);  // b has no value at step 2: a alone
}

TEST(Ensemble, SavesAndLoadsMembersAndWeights) {
  testing::Synthetic s;
  const auto y = s.series(24 * 20);
  std::vector<std::unique_ptr<Forecaster>> members;
  members.push_back(std::make_unique<SeasonalNaive>());
  members.push_back(std::make_unique<SeasonalNaive>(SeasonalNaiveConfig{48, 240}));
  Ensemble e(std::move(members), {0.6, 0.4});
  ASSERT_TRUE(e.fit(s.history(y)).ok());
  const Ensemble::Loader loader = [](std::string_view bytes) -> Result<std::unique_ptr<Forecaster>> {
    auto m = SeasonalNaive::load(bytes);
    if (!m.ok()) return m.error();
    return std::unique_ptr<Forecaster>(std::move(*m));
  };
  auto loaded = Ensemble::load(e.save(), loader);
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)->weights(), e.weights());
  EXPECT_EQ((*loaded)->predict(s.history(y), 24)->mean, e.predict(s.history(y), 24)->mean);
  EXPECT_FALSE(Ensemble::load(R"({"format":"envmon-model","kind":"ensemble","version":1,"body":{"weights":[1]}})", loader).ok());
}

}  // namespace
}  // namespace envmon::models
