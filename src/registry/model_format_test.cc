#include <gtest/gtest.h>

#include "registry/model_format.h"

namespace envmon::registry {
namespace {

TEST(ModelFormatTest, RoundTripsKindVersionAndBody) {
  const std::string bytes = wrap_model("kmeans", 1, R"({"k":3,"centroids":[[1,2]]})");
  auto env = unwrap_model(bytes, "kmeans", 1);
  ASSERT_TRUE(env.ok()) << env.error().to_string();
  EXPECT_EQ(env->kind, "kmeans");
  EXPECT_EQ(env->version, 1);
  EXPECT_EQ(env->body_json, R"({"centroids":[[1,2]],"k":3})");
}

TEST(ModelFormatTest, RefusesWhatItCannotRead) {
  const auto err = [](std::string_view bytes, std::string_view kind = "kmeans") {
    auto r = unwrap_model(bytes, kind, 1);
    return r.ok() ? std::string("ok") : r.error().message();
  };
  EXPECT_NE(err("not json").find("not a JSON object"), std::string::npos);
  EXPECT_NE(err(R"({"format":"pickle"})").find("'format'"), std::string::npos);
  EXPECT_NE(err(wrap_model("kmeans", 1, "{}"), "robust_zscore").find("expected 'robust_zscore'"),
            std::string::npos);
  EXPECT_NE(err(wrap_model("kmeans", 2, "{}")).find("version 2 not supported"), std::string::npos);
  EXPECT_NE(err(wrap_model("kmeans", 1, "[]")).find("'body'"), std::string::npos);
}

}  // namespace
}  // namespace envmon::registry
