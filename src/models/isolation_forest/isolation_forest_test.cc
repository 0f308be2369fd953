#include "models/isolation_forest/isolation_forest.h"

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/isolation_forest/isolation_forest_config.h"

#include <cmath>
#include <random>

namespace envmon::models::isolation_forest {
namespace {

// 500 rows of 3 features around the origin; feature 1 carries the outliers we add.
std::vector<double> gaussian_rows(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> x(n * 3);
  for (double& v : x) v = g(rng);
  return x;
}

TEST(IsolationForest, AveragePathLengthMatchesTheFormula) {
  EXPECT_DOUBLE_EQ(IsolationForest::average_path_length(1), 0.0);
  EXPECT_DOUBLE_EQ(IsolationForest::average_path_length(2), 1.0);
  // c(256) = 2 (ln 255 + gamma) - 2 * 255 / 256
  EXPECT_NEAR(IsolationForest::average_path_length(256), 10.2448, 1e-3);
}

TEST(IsolationForest, OutliersScoreHigherThanInliersAndAreExplained) {
  const auto x = gaussian_rows(500, 1);
  auto forest = IsolationForest::fit({x, 3}, IsolationForestConfig{});
  ASSERT_TRUE(forest.ok()) << forest.error().to_string();
  EXPECT_EQ(forest->trees(), 100u);
  EXPECT_EQ(forest->sample_size(), 256u);
  const std::vector<double> inlier{0.0, 0.0, 0.0};
  const std::vector<double> outlier{0.0, 8.0, 0.0};
  EXPECT_LT(forest->score(inlier), 0.5);
  EXPECT_GT(forest->score(outlier), forest->score(inlier) + 0.1);
  const Explanation e = forest->explain(outlier);
  EXPECT_DOUBLE_EQ(e.score, forest->score(outlier));
  ASSERT_EQ(e.feature_share.size(), 3u);
  EXPECT_GT(e.feature_share[1], e.feature_share[0]);
  EXPECT_GT(e.feature_share[1], e.feature_share[2]);
  EXPECT_NEAR(e.feature_share[0] + e.feature_share[1] + e.feature_share[2], 1.0, 1e-9);
  const std::string json = IsolationForest::explanation_json(e, {"pm25", "pm25_lag1"});
  EXPECT_NE(json.find("\"detector\":\"isolation_forest\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"top_feature\":\"pm25_lag1\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"f2\":"), std::string::npos) << json;
}

TEST(IsolationForest, SameSeedSameForestAndSaveLoadRoundTrips) {
  const auto x = gaussian_rows(300, 2);
  IsolationForestConfig cfg;
  cfg.trees = 20;
  auto a = IsolationForest::fit({x, 3}, cfg);
  auto b = IsolationForest::fit({x, 3}, cfg);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->save(), b->save());
  auto loaded = IsolationForest::load(a->save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  std::vector<double> sa(300), sl(300);
  a->score_batch({x, 3}, sa);
  loaded->score_batch({x, 3}, sl);
  EXPECT_EQ(sa, sl);
  cfg.seed = 7;
  auto c = IsolationForest::fit({x, 3}, cfg);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->save(), c->save());
}

TEST(IsolationForest, EveryKernelAndSingleRowScoringGiveTheSameBits) {
  // 8 and 5 features: the AVX-512 kernel's permute path (rows of 8) and its gather path; 1000
  // rows are not a multiple of its 64-row step, so the padded tail is covered too.
  for (size_t cols : {size_t{8}, size_t{5}}) {
    const auto x = gaussian_rows(1000 * cols / 3 + 1, 4);
    const FeatureView view{std::span<const double>(x).first(1000 * cols), cols};
    IsolationForestConfig cfg;
    cfg.trees = 30;
    cfg.sample_size = 200;  // depth 8: every level kind of the vector kernel
    auto forest = IsolationForest::fit(view, cfg);
    ASSERT_TRUE(forest.ok());
    std::vector<double> fast(1000), scalar(1000);
    forest->score_batch(view, fast);
    forest->score_batch(view, scalar, Kernel::scalar);
    EXPECT_EQ(fast, scalar) << cols << " features";
    for (size_t i : {size_t{0}, size_t{63}, size_t{999}}) EXPECT_EQ(forest->score(view.row(i)), fast[i]);
  }
}

TEST(IsolationForest, SplitsAreFloatsAndAgreeWithTheDoubleComparison) {
  // A value just below a float split rounds to nearest onto the split itself; scoring must
  // still send it left, as the double comparison does. floor_float keeps it below.
  const double below = std::nextafter(static_cast<double>(1.5f), 0.0);
  EXPECT_LT(floor_float(below), 1.5f);
  EXPECT_EQ(floor_float(1.5), 1.5f);
  EXPECT_EQ(ceil_float(below), 1.5f);
  EXPECT_TRUE(std::isnan(floor_float(std::nan(""))));
}

TEST(IsolationForest, SmallDataUsesAllRowsAndConstantDataScoresEqually) {
  const std::vector<double> flat(40, 1.0);  // 20 rows x 2 identical features
  auto forest = IsolationForest::fit({flat, 2}, IsolationForestConfig{});
  ASSERT_TRUE(forest.ok());
  EXPECT_EQ(forest->sample_size(), 20u);
  const std::vector<double> row{1.0, 1.0};
  EXPECT_GT(forest->score(row), 0.0);
  EXPECT_EQ(forest->explain(row).feature_share, (std::vector<double>{0.0, 0.0}));
}

TEST(IsolationForest, BadInputIsAnError) {
  EXPECT_FALSE(IsolationForest::fit({{}, 3}, IsolationForestConfig{}).ok());
  const std::vector<double> nan_row{1.0, std::nan("")};
  auto r = IsolationForest::fit({nan_row, 2}, IsolationForestConfig{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("row 0 feature 1"), std::string::npos);
}

TEST(IsolationForest, MalformedModelFilesAreRejected) {
  EXPECT_FALSE(IsolationForest::load("hello").ok());
  const auto x = gaussian_rows(100, 3);
  IsolationForestConfig cfg;
  cfg.trees = 3;
  auto f = IsolationForest::fit({x, 3}, cfg);
  ASSERT_TRUE(f.ok());
  std::string bytes = f->save();
  EXPECT_FALSE(IsolationForest::load(bytes.substr(0, bytes.size() - 1)).ok());
  std::string wrong_version = bytes;
  wrong_version[10] = 9;
  auto v = IsolationForest::load(wrong_version);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), Errc::decode_version);
}

TEST(ConfigTest, MalformedKeysAndValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"trees: 0\n", "trees"}, {"sample_size: lots\n", "sample_size"}, {"tres: 10\n", "tres"}};
  for (const auto& [yaml, key] : cases) {
    auto node = config::load_text(yaml, "model.yaml");
    ASSERT_TRUE(node.ok()) << yaml;
    auto r = parse_isolation_forest_config(*node);
    ASSERT_FALSE(r.ok()) << yaml;
    EXPECT_NE(r.error().message().find(key), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace envmon::models::isolation_forest
