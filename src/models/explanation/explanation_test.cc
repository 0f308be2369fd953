#include "models/explanation/explanation.h"

#include <vector>

#include <gtest/gtest.h>

namespace envmon::models {
namespace {

TEST(ExplanationTest, TheObjectNamesTheTopFeatureAndTheTextIsItsDump) {
  const std::vector<double> shares = {0.2, 0.7, 0.1};
  const std::vector<std::string> names = {"value", "lag_1"};  // the third is unnamed
  const auto obj = feature_share_object("isolation_forest", 0.8, shares, names);
  EXPECT_EQ(obj.at("detector").get<std::string>(), "isolation_forest");
  EXPECT_EQ(obj.at("score").get<double>(), 0.8);
  EXPECT_EQ(obj.at("top_feature").get<std::string>(), "lag_1");
  EXPECT_EQ(obj.at("features").at("f2").get<double>(), 0.1);
  EXPECT_EQ(feature_share_json("isolation_forest", 0.8, shares, names), obj.dump());
}

}  // namespace
}  // namespace envmon::models
