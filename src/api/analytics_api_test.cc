// GET /api/v1/anomalies and /api/v1/clusters over the fake store.
#include "api/api_test_fixture.h"

namespace envmon::api::testing {
namespace {

using json = nlohmann::json;

class AnalyticsApiTest : public ApiServerTest {
 protected:
  void add_anomaly(const std::string& station, Timestamp at, double score) {
    ASSERT_TRUE(store_
                    .write_anomalies({{station, Metric::pm25, at, "robust_zscore", score, 700,
                                       R"({"z":6.1,"related_metrics":{"pm10":3.2}})"}})
                    .ok());
  }
};

TEST_F(AnalyticsApiTest, AnomaliesNewestFirstWithExplanations) {
  add_anomaly("delhi", t0() + std::chrono::hours(40), 6.1);
  add_anomaly("delhi", t0() + std::chrono::hours(44), 9.0);
  add_anomaly("london", t0() + std::chrono::hours(45), 5.0);
  add_anomaly("delhi", t0() - std::chrono::hours(24 * 30), 7.0);  // outside the default week
  start();
  const json all = body(get("/api/v1/anomalies"));
  EXPECT_TRUE(all["station"].is_null());
  EXPECT_EQ(all["count"], 3);
  EXPECT_EQ(all["anomalies"][0]["station"], "london");
  const json delhi = body(get("/api/v1/anomalies?station=delhi&limit=1"));
  ASSERT_EQ(delhi["anomalies"].size(), 1u);
  EXPECT_EQ(delhi["anomalies"][0]["at"], "2026-01-03T20:00:00Z");
  EXPECT_EQ(delhi["anomalies"][0]["metric"], "pm25");
  EXPECT_DOUBLE_EQ(delhi["anomalies"][0]["score"].get<double>(), 9.0);
  EXPECT_DOUBLE_EQ(delhi["anomalies"][0]["explanation"]["related_metrics"]["pm10"].get<double>(), 3.2);
  const json old = body(get("/api/v1/anomalies?station=delhi&from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"));
  EXPECT_EQ(old["count"], 1);
}

TEST_F(AnalyticsApiTest, DamagedExplanationBecomesNullNotBrokenJson) {
  ASSERT_TRUE(store_.write_anomalies({{"delhi", Metric::pm25, t0() + std::chrono::hours(40),
                                       "robust_zscore", 5, 1, "\x01garbage{"}})
                  .ok());
  start();
  auto res = get("/api/v1/anomalies");
  ASSERT_EQ(res->status, 200);
  EXPECT_TRUE(body(res)["anomalies"][0]["explanation"].is_null());
}

TEST_F(AnalyticsApiTest, BadAnomalyQueriesNameTheParameter) {
  start();
  const std::pair<const char*, int> cases[] = {
      {"/api/v1/anomalies?station=atlantis", 404},
      {"/api/v1/anomalies?limit=0", 400},
      {"/api/v1/anomalies?limit=many", 400},
      {"/api/v1/anomalies?from=yesterday", 400},
      {"/api/v1/anomalies?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 400},
      {"/api/v1/anomalies?metric=pm25", 400},
  };
  for (const auto& [target, status] : cases) {
    SCOPED_TRACE(target);
    auto res = get(target);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status);
  }
  EXPECT_EQ(body(get("/api/v1/anomalies?limit=0"))["error"]["parameter"], "limit");
}

TEST_F(AnalyticsApiTest, ClustersGroupStationsOfTheNewestModel) {
  start();
  const json none = body(get("/api/v1/clusters"));
  EXPECT_TRUE(none["model"].is_null());
  EXPECT_TRUE(none["stations"].empty());
  ASSERT_TRUE(store_
                  .put_cluster_labels({{"delhi", 1, "station_clusters_pm25/2", 0.61, t0()},
                                       {"london", 0, "station_clusters_pm25/2", 0.55, t0()},
                                       {"empty", 1, "station_clusters_pm25/2", 0.40, t0()}})
                  .ok());
  cache_->invalidate("api:");
  const json j = body(get("/api/v1/clusters"));
  EXPECT_EQ(j["model"], "station_clusters_pm25/2");
  EXPECT_EQ(j["computed_at"], "2026-01-02T00:00:00Z");
  ASSERT_EQ(j["stations"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["stations"][0]["silhouette"].get<double>(), 0.61);
  ASSERT_EQ(j["clusters"].size(), 2u);
  EXPECT_EQ(j["clusters"][1]["cluster"], 1);
  EXPECT_EQ(j["clusters"][1]["stations"], json::array({"delhi", "empty"}));
}

TEST_F(AnalyticsApiTest, StoreFailureIsABare500) {
  store_.set_failing(true);
  start();
  EXPECT_EQ(get("/api/v1/anomalies")->status, 500);
  EXPECT_EQ(get("/api/v1/clusters")->status, 500);
}

}  // namespace
}  // namespace envmon::api::testing
