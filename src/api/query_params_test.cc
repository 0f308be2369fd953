#include "api/query_params.h"

#include <gtest/gtest.h>

namespace envmon::api {
namespace {

TEST(QueryParams, ParsesNamedAndNumericBuckets) {
  EXPECT_EQ(parse_bucket("5m"), Seconds(300));
  EXPECT_EQ(parse_bucket("1h"), Seconds(3600));
  EXPECT_EQ(parse_bucket("1d"), Seconds(86400));
  EXPECT_EQ(parse_bucket("7d"), Seconds(604800));
  EXPECT_EQ(parse_bucket("60"), Seconds(60));
  EXPECT_FALSE(parse_bucket("59").has_value());
  EXPECT_FALSE(parse_bucket("").has_value());
  EXPECT_FALSE(parse_bucket("1 h").has_value());
  EXPECT_FALSE(parse_bucket("-3600").has_value());
  EXPECT_FALSE(parse_bucket("3600s").has_value());
  EXPECT_FALSE(parse_bucket("99999999999999999999").has_value());
}

TEST(QueryParams, AppliesDefaultsAndOffsets) {
  const Timestamp now = *parse_rfc3339("2026-01-02T12:00:00Z");
  auto q = parse_observation_query({{"station", "delhi"}, {"metric", "pm25"}}, now, ApiConfig{});
  ASSERT_TRUE(std::holds_alternative<ObservationQuery>(q));
  const auto& v = std::get<ObservationQuery>(q);
  EXPECT_EQ(v.to, now);
  EXPECT_EQ(v.from, now - std::chrono::hours(24));
  EXPECT_FALSE(v.bucket.has_value());

  auto offset = parse_observation_query(
      {{"station", "delhi"}, {"metric", "o3"}, {"from", "2026-01-02T05:30:00+05:30"}}, now, ApiConfig{});
  ASSERT_TRUE(std::holds_alternative<ObservationQuery>(offset));
  EXPECT_EQ(std::get<ObservationQuery>(offset).from, *parse_rfc3339("2026-01-02T00:00:00Z"));
  EXPECT_EQ(std::get<ObservationQuery>(offset).metric, Metric::o3);
}

TEST(QueryParams, ErrorsNameTheParameter) {
  const Timestamp now = *parse_rfc3339("2026-01-02T12:00:00Z");
  auto e = parse_observation_query({{"station", "x"}, {"metric", "pm25"}, {"to", "noon"}}, now,
                                   ApiConfig{});
  ASSERT_TRUE(std::holds_alternative<ApiError>(e));
  EXPECT_EQ(std::get<ApiError>(e).parameter, "to");
  EXPECT_EQ(std::get<ApiError>(e).status, 400);
}

}  // namespace
}  // namespace envmon::api
