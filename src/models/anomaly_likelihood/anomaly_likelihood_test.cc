#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/anomaly_likelihood/anomaly_likelihood.h"

namespace envmon::models::anomaly_likelihood {
namespace {

AnomalyLikelihoodConfig quick() {
  AnomalyLikelihoodConfig cfg;
  cfg.learning_points = 100;
  cfg.history_points = 1000;
  return cfg;
}

TEST(AnomalyLikelihoodTest, HalfWhileLearningThenHighOnlyForABurst) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> habit(0.0, 0.2);
  AnomalyLikelihood al(quick());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(al.update(habit(rng)).likelihood, 0.5);
  double max_habit = 0;
  for (int i = 0; i < 900; ++i) max_habit = std::max(max_habit, al.update(habit(rng)).likelihood);
  EXPECT_LT(max_habit, 0.9999);
  Likelihood burst;
  for (int i = 0; i < 5; ++i) burst = al.update(1.0);
  EXPECT_GT(burst.likelihood, 0.99999);
  EXPECT_GT(burst.log_likelihood, 0.5);
  EXPECT_LE(burst.log_likelihood, 1.0);
}

// The same raw burst is less likely-anomalous in a series whose detector fires all the time.
TEST(AnomalyLikelihoodTest, ANoisyHabitNeedsABiggerBurst) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<double> quiet(0.0, 0.1), noisy(0.0, 0.8);
  AnomalyLikelihood a(quick()), b(quick());
  for (int i = 0; i < 1000; ++i) {
    a.update(quiet(rng));
    b.update(noisy(rng));
  }
  double la = 0, lb = 0;
  for (int i = 0; i < 3; ++i) {
    la = a.update(0.9).log_likelihood;
    lb = b.update(0.9).log_likelihood;
  }
  EXPECT_GT(la, lb);
}

TEST(AnomalyLikelihoodTest, AQuietStretchIsNotAnAnomaly) {
  AnomalyLikelihood al(quick());
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> habit(0.2, 0.6);
  for (int i = 0; i < 1000; ++i) al.update(habit(rng));
  Likelihood l;
  for (int i = 0; i < 10; ++i) l = al.update(0.0);
  EXPECT_LT(l.likelihood, 0.01);
  EXPECT_EQ(al.update(std::nan("")).likelihood, 0.5);  // not a score
}

TEST(AnomalyLikelihoodConfigTest, BoundsAndRelationsAreNamed) {
  auto ok = parse_anomaly_likelihood_config(*config::load_text("averaging_points: 5\n", "a.yaml"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->averaging_points, 5);
  EXPECT_EQ(ok->history_points, 8640);
  auto bad = parse_anomaly_likelihood_config(
      *config::load_text("averaging_points: 50\nhistory_points: 20\n", "a.yaml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("averaging_points"), std::string::npos);
  EXPECT_NE(bad.error().message().find("a.yaml:1"), std::string::npos);
}

}  // namespace
}  // namespace envmon::models::anomaly_likelihood
