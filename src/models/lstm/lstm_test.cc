#include "models/lstm/lstm.h"

#include <gtest/gtest.h>

#include "models/forecaster/test_series.h"

namespace envmon::models {
namespace {

// A tiny network on a daily pattern: it must beat the training mean and be repeatable.
LstmConfig tiny() {
  LstmConfig c;
  c.input_hours = 24;
  c.hidden = 8;
  c.epochs = 3;
  c.batch = 32;
  c.stride_hours = 2;
  c.learning_rate = 1e-2;
  return c;
}

TEST(Lstm, LearnsADailyPatternDeterministically) {
  testing::Synthetic s;
  s.slope_per_hour = 0;
  s.noise_sd = 0.5;
  const auto y = s.series(24 * 40);
  Lstm a(tiny()), b(tiny());
  ASSERT_TRUE(a.fit(s.history(y)).ok());
  ASSERT_TRUE(b.fit(s.history(y)).ok());
  auto fa = a.predict(s.history(y), 24);
  auto fb = b.predict(s.history(y), 24);
  ASSERT_TRUE(fa.ok());
  EXPECT_EQ(fa->mean, fb->mean);  // fixed seeds, one thread
  double err = 0, flat = 0;
  for (size_t h = 0; h < 24; ++h) {
    err += std::abs(fa->mean[h] - s.truth(y.size() + h));
    flat += std::abs(50 - s.truth(y.size() + h));
  }
  EXPECT_LT(err, 0.6 * flat);
  EXPECT_FALSE(a.refit_each_origin());
}

TEST(Lstm, SavesAndLoadsTheSameForecast) {
  testing::Synthetic s;
  const auto y = s.series(24 * 30);
  Lstm model(tiny());
  ASSERT_TRUE(model.fit(s.history(y)).ok());
  auto loaded = Lstm::load(model.save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ((*loaded)->predict(s.history(y), 24)->mean, model.predict(s.history(y), 24)->mean);
  EXPECT_FALSE(Lstm::load(R"({"format":"envmon-model","kind":"lstm","version":1,"body":{"config":{}}})").ok());
}

}  // namespace
}  // namespace envmon::models
