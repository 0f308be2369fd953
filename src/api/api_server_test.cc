#include <cstdio>
#include <filesystem>
#include <fstream>

#include "api/api_test_fixture.h"

namespace envmon::api::testing {
namespace {

using nlohmann::json;

TEST_F(ApiServerTest, HealthReadyAndPrometheusMetrics) {
  start();
  auto health = get("/health");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(body(health), json::parse(R"({"status":"ok"})"));
  EXPECT_EQ(body(get("/ready")), json::parse(R"({"status":"ready"})"));
  ready_ = false;
  auto starting = get("/ready");
  EXPECT_EQ(starting->status, 503);
  EXPECT_EQ(body(starting), json::parse(R"({"status":"starting"})"));

  auto head = client_->Head("/api/v1/stations");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  get("/api/v1/stations");
  auto metrics = get("/metrics");
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_NE(metrics->body.find("envmon_http_requests_total{route=\"/api/v1/stations\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("envmon_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(ApiServerTest, MetricCatalogue) {
  start();
  auto res = get("/api/v1/metrics");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const json j = body(res);
  ASSERT_EQ(j["metrics"].size(), kMetricCount);
  const json pm25 = j["metrics"][metric_index(Metric::pm25)];
  EXPECT_EQ(pm25["id"], "pm25");
  EXPECT_EQ(pm25["unit"], "ug/m3");
  EXPECT_EQ(pm25["display_unit"], "µg/m³");
  EXPECT_EQ(pm25["kind"], "pollutant");
  EXPECT_TRUE(pm25["min"].is_number());
  EXPECT_TRUE(pm25["max"].is_number());
  EXPECT_TRUE(pm25["description"].is_string());
}

TEST_F(ApiServerTest, StationsWithAqiBands) {
  start();
  const json j = body(get("/api/v1/stations"));
  ASSERT_EQ(j["stations"].size(), 3u);
  const json delhi = j["stations"][0];
  EXPECT_EQ(delhi["id"], "delhi");
  EXPECT_EQ(delhi["name"], "Delhi (Anand Vihar)");
  EXPECT_DOUBLE_EQ(delhi["lat"].get<double>(), 28.6469);
  EXPECT_EQ(delhi["timezone"], "Asia/Kolkata");
  EXPECT_EQ(delhi["region"], "south-asia");
  EXPECT_EQ(delhi["aqi_us"], json::parse(R"({"value":153,"category":"Unhealthy","color":"#ff0000",
                                           "observed_at":"2026-01-03T23:55:00Z"})"));
  EXPECT_EQ(delhi["aqi_in"]["value"], 212);
  EXPECT_EQ(delhi["aqi_in"]["category"], "Poor");
  EXPECT_EQ(delhi["aqi_in"]["observed_at"], "2026-01-03T23:55:00Z");
  EXPECT_TRUE(j["stations"][1]["aqi_us"].is_null());
  EXPECT_TRUE(j["stations"][1]["aqi_in"].is_null());
}

TEST_F(ApiServerTest, TopStationsByAqi) {
  store_.add({"london", "sim", Metric::aqi_us, t0(), 42, 42, 0, t0()});
  start();
  const json j = body(get("/api/v1/aqi/top?metric=aqi_us&limit=5"));
  EXPECT_EQ(j["metric"], "aqi_us");
  ASSERT_EQ(j["stations"].size(), 2u);
  EXPECT_EQ(j["stations"][0]["station"], "delhi");
  EXPECT_DOUBLE_EQ(j["stations"][0]["aqi"].get<double>(), 153.4);
  EXPECT_EQ(j["stations"][0]["category"], "Unhealthy");
  EXPECT_EQ(j["stations"][1]["station"], "london");
  EXPECT_EQ(body(get("/api/v1/aqi/top?metric=aqi_in"))["stations"][0]["category"], "Poor");
  for (const char* bad : {"/api/v1/aqi/top?metric=pm25", "/api/v1/aqi/top?limit=0",
                          "/api/v1/aqi/top?limit=ten", "/api/v1/aqi/top?top=3"}) {
    SCOPED_TRACE(bad);
    auto res = get(bad);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
  }
}

TEST_F(ApiServerTest, LatestMeasurements) {
  start();
  const json j = body(get("/api/v1/stations/delhi/latest"));
  EXPECT_EQ(j["station"], "delhi");
  ASSERT_EQ(j["measurements"].size(), 3u);  // pm25, aqi_us, aqi_in in catalogue order
  EXPECT_EQ(j["measurements"][0], json::parse(R"({"metric":"pm25","value":61,"unit":"ug/m3",
      "observed_at":"2026-01-03T23:55:00Z","source":"sim","flags":[]})"));
  EXPECT_EQ(j["measurements"][1]["flags"], json::parse(R"(["derived"])"));

  const json london = body(get("/api/v1/stations/london/latest"));
  EXPECT_TRUE(london["measurements"][0]["value"].is_null());  // masked
  EXPECT_EQ(london["measurements"][0]["flags"], json::parse(R"(["spike"])"));

  const json empty = body(get("/api/v1/stations/empty/latest"));
  EXPECT_EQ(empty, json::parse(R"({"station":"empty","measurements":[]})"));

  auto unknown = get("/api/v1/stations/atlantis/latest");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(body(unknown)["error"]["code"], "not_found");
  EXPECT_EQ(body(unknown)["error"]["parameter"], "station");
}

TEST_F(ApiServerTest, RawObservationsDefaultToTheLastDay) {
  start();
  const json j = body(get("/api/v1/observations?station=delhi&metric=pm25"));
  EXPECT_EQ(j["station"], "delhi");
  EXPECT_EQ(j["metric"], "pm25");
  EXPECT_EQ(j["unit"], "ug/m3");
  EXPECT_EQ(j["from"], "2026-01-03T00:00:00Z");
  EXPECT_EQ(j["to"], "2026-01-04T00:00:00Z");
  EXPECT_TRUE(j["bucket"].is_null());
  EXPECT_FALSE(j.contains("bucket_secs"));
  ASSERT_EQ(j["points"].size(), 24u * 12u);
  EXPECT_EQ(j["points"][0], json::parse(R"({"t":"2026-01-03T00:00:00Z","value":50,"flags":[],
                                           "source":"sim"})"));
}

TEST_F(ApiServerTest, BucketedObservations) {
  start();
  const json j = body(get("/api/v1/observations?station=delhi&metric=pm25"
                          "&from=2026-01-02T00:00:00Z&to=2026-01-02T03:00:00Z&bucket=1h"));
  EXPECT_EQ(j["bucket"], "1h");
  EXPECT_EQ(j["bucket_secs"], 3600);
  ASSERT_EQ(j["points"].size(), 3u);
  EXPECT_EQ(j["points"][1], json::parse(R"({"t":"2026-01-02T01:00:00Z","mean":55.5,"min":50,
                                           "max":61,"count":12})"));
  const json secs = body(get("/api/v1/observations?station=delhi&metric=pm25"
                             "&from=2026-01-02T00:00:00Z&to=2026-01-02T01:00:00Z&bucket=900"));
  EXPECT_EQ(secs["bucket"], "900");
  EXPECT_EQ(secs["bucket_secs"], 900);
  EXPECT_EQ(secs["points"].size(), 4u);
}

TEST_F(ApiServerTest, ResponsesAreCachedUntilInvalidated) {
  start();
  auto first = get("/api/v1/stations/delhi/latest");
  EXPECT_EQ(first->get_header_value("X-Cache"), "miss");
  EXPECT_EQ(first->get_header_value("Cache-Control"), "public, max-age=1");
  auto second = get("/api/v1/stations/delhi/latest");
  EXPECT_EQ(second->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(second->body, first->body);
  server_->invalidate();
  EXPECT_EQ(get("/api/v1/stations/delhi/latest")->get_header_value("X-Cache"), "miss");
  auto error = get("/api/v1/stations/atlantis/latest");
  EXPECT_EQ(error->get_header_value("Cache-Control"), "no-store");
}

TEST_F(ApiServerTest, StoreFailureIsAnOpaque500) {
  start();
  store_.set_failing(true);
  auto res = get("/api/v1/stations");
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(body(res)["error"]["code"], "internal");
  EXPECT_EQ(res->body.find("secret"), std::string::npos);
}

TEST_F(ApiServerTest, DashboardNotBuiltPage) {
  start();
  auto res = get("/");
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(res->body.find("npm --prefix web ci &amp;&amp; npm --prefix web run build"),
            std::string::npos);
  EXPECT_EQ(get("/assets/app.js")->status, 404);
}

TEST_F(ApiServerTest, ServesTheBuiltDashboard) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("envmon-web-" + std::to_string(::getpid()));
  fs::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<html>dash</html>";
  std::ofstream(dir / "assets" / "app-1234.js") << "console.log(1)";
  ApiConfig config;
  config.web_dir = dir.string();
  start(config);
  auto index = get("/");
  EXPECT_EQ(index->body, "<html>dash</html>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  auto js = get("/assets/app-1234.js");
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/stations/delhi")->body, "<html>dash</html>");  // client-side route
  EXPECT_EQ(get("/assets/missing.js")->status, 404);
  EXPECT_EQ(get("/../etc/passwd")->status, 404);
  fs::remove_all(dir);
}

TEST_F(ApiServerTest, TakenPortIsAnError) {
  start();
  ApiConfig config;
  config.port = server_->port();
  ApiServer second(config, store_, *cache_, registry_, nullptr);
  auto status = second.start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find(std::to_string(server_->port())), std::string::npos);
}

}  // namespace
}  // namespace envmon::api::testing
