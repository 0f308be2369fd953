#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/knn_cad/knn_cad.h"

namespace envmon::models::knn_cad {
namespace {

KnnCadConfig small() {
  KnnCadConfig cfg;
  cfg.window_points = 8;
  cfg.neighbours = 5;
  cfg.fit_points = 200;
  return cfg;
}

double wave(int i, std::mt19937& rng) {
  std::normal_distribution<double> noise(0, 0.05);
  return 10 + std::sin(i * 2 * M_PI / 24) + noise(rng);
}

TEST(KnnCadTest, ZeroWhileFittingThenAConformalPValue) {
  std::mt19937 rng(5);
  KnnCad d(small());
  for (int i = 0; i < 207; ++i) EXPECT_EQ(d.update(wave(i, rng)), 0.0) << i;
  double sum = 0;
  int n = 0;
  for (int i = 207; i < 1200; ++i) {
    const double s = d.update(wave(i, rng));
    ASSERT_GE(s, 0.0);
    ASSERT_LE(s, 1.0);
    sum += s;
    ++n;
  }
  // Exchangeable normal windows: p-values spread over [0, 1], mean near one half.
  EXPECT_NEAR(sum / n, 0.5, 0.15);
}

TEST(KnnCadTest, ABrokenShapeScoresAtTheTop) {
  std::mt19937 rng(6);
  KnnCad d(small());
  for (int i = 0; i < 800; ++i) d.update(wave(i, rng));
  const double spike = d.update(13);  // no reference window comes near
  EXPECT_GT(spike, 1.0 - 1.0 / 200);
  EXPECT_GT(d.update(30), spike);  // beyond the calibration, farther scores higher
  EXPECT_EQ(d.update(std::nan("")), 0.0);  // skipped, not scored
}

TEST(KnnCadTest, FlatSeriesDoesNotBreakTheMetric) {
  KnnCad d(small());
  for (int i = 0; i < 400; ++i) {
    const double s = d.update(3.0);
    ASSERT_TRUE(std::isfinite(s));
  }
  EXPECT_GT(d.update(4.0), 1.0 - 1.0 / 200);
}

TEST(KnnCadConfigTest, NeighboursMustFitTheReference) {
  auto ok = parse_knn_cad_config(*config::load_text("window_points: 10\n", "k.yaml"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->neighbours, 27);
  auto bad = parse_knn_cad_config(*config::load_text("neighbours: 50\nfit_points: 20\n", "k.yaml"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("neighbours"), std::string::npos);
  EXPECT_NE(bad.error().message().find("k.yaml:1"), std::string::npos);
}

}  // namespace
}  // namespace envmon::models::knn_cad
