#include "models/autoencoder/autoencoder.h"

#include <gtest/gtest.h>

#include "config/node.h"
#include "models/autoencoder/autoencoder_config.h"

#include <cmath>
#include <random>

namespace envmon::models::autoencoder {
namespace {

// Rows on a 1-D curve in 4-D (x, 2x, sin x, -x) plus a little noise: compressible.
std::vector<double> curve_rows(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  std::normal_distribution<double> g(0.0, 0.02);
  std::vector<double> x;
  for (size_t i = 0; i < n; ++i) {
    const double t = u(rng);
    for (double v : {t, 2 * t, std::sin(t), -t}) x.push_back(v + g(rng));
  }
  return x;
}

AutoencoderConfig small() {
  AutoencoderConfig c;
  c.hidden_units = 8;
  c.latent_units = 2;
  c.epochs = 40;
  return c;
}

TEST(Autoencoder, OffCurveRowsScoreHigherAndTheBrokenFeatureExplainsIt) {
  const auto x = curve_rows(400, 1);
  auto ae = Autoencoder::fit(x, 4, small());
  ASSERT_TRUE(ae.ok()) << ae.error().to_string();
  EXPECT_EQ(ae->features(), 4u);
  const std::vector<double> on{1.0, 2.0, std::sin(1.0), -1.0};
  const std::vector<double> off{1.0, 2.0, std::sin(1.0), 1.5};  // last feature broken
  const auto scores = ae->score_batch(std::vector<double>{on[0], on[1], on[2], on[3], off[0],
                                                          off[1], off[2], off[3]});
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_GT(scores[1], 5 * scores[0]);
  const Reconstruction r = ae->explain(off);
  EXPECT_NEAR(r.score, scores[1], 1e-6);
  ASSERT_EQ(r.feature_share.size(), 4u);
  const auto top = std::max_element(r.feature_share.begin(), r.feature_share.end());
  EXPECT_EQ(top - r.feature_share.begin(), 3);
  const std::string json = Autoencoder::explanation_json(r, {"a", "b", "c", "d"});
  EXPECT_NE(json.find("\"top_feature\":\"d\""), std::string::npos) << json;
}

TEST(Autoencoder, SameSeedSameScoresAndSaveLoadRoundTrips) {
  const auto x = curve_rows(200, 2);
  auto a = Autoencoder::fit(x, 4, small());
  auto b = Autoencoder::fit(x, 4, small());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->score_batch(x), b->score_batch(x));
  auto loaded = Autoencoder::load(a->save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->score_batch(x), a->score_batch(x));
}

TEST(Autoencoder, BadInputAndMalformedFilesAreErrors) {
  EXPECT_FALSE(Autoencoder::fit({}, 4, small()).ok());
  const std::vector<double> nan_row{1.0, std::nan("")};
  auto r = Autoencoder::fit(nan_row, 2, small());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("row 0 feature 1"), std::string::npos);
  EXPECT_FALSE(Autoencoder::load("nope").ok());
  auto a = Autoencoder::fit(curve_rows(50, 3), 4, small());
  ASSERT_TRUE(a.ok());
  const std::string bytes = a->save();
  auto cut = Autoencoder::load(bytes.substr(0, bytes.size() / 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code(), Errc::decode_syntax);
}

TEST(ConfigTest, MalformedKeysAndValuesNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"epochs: many\n", "epochs"}, {"hidden_units: 0\n", "hidden_units"}, {"latent: 2\n", "latent"}};
  for (const auto& [yaml, key] : cases) {
    auto node = config::load_text(yaml, "model.yaml");
    ASSERT_TRUE(node.ok()) << yaml;
    auto r = parse_autoencoder_config(*node);
    ASSERT_FALSE(r.ok()) << yaml;
    EXPECT_NE(r.error().message().find(key), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace envmon::models::autoencoder
