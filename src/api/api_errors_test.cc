// Bad requests: every one is a JSON error with the right 4xx, naming the parameter at fault.
#include "api/api_test_fixture.h"

namespace envmon::api::testing {
namespace {

struct BadRequest {
  std::string name;
  std::string target;
  int status;
  std::string code;
  std::string parameter;  // empty: JSON null
};

const std::string kObs = "/api/v1/observations?";
const std::string kDay = "&from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z";

std::vector<BadRequest> bad_requests() {
  return {
      {"missing station", kObs + "metric=pm25", 400, "bad_request", "station"},
      {"empty station", kObs + "station=&metric=pm25", 400, "bad_request", "station"},
      {"unknown station", kObs + "station=atlantis&metric=pm25", 404, "not_found", "station"},
      {"missing metric", kObs + "station=delhi", 400, "bad_request", "metric"},
      {"unknown metric", kObs + "station=delhi&metric=pm26", 400, "bad_request", "metric"},
      {"bad from", kObs + "station=delhi&metric=pm25&from=yesterday", 400, "bad_request", "from"},
      {"bad to", kObs + "station=delhi&metric=pm25&to=2026-13-01T00:00:00Z", 400, "bad_request", "to"},
      {"from after to", kObs + "station=delhi&metric=pm25&from=2026-01-03T00:00:00Z&to=2026-01-02T00:00:00Z",
       400, "bad_request", "from"},
      {"from equals to", kObs + "station=delhi&metric=pm25&from=2026-01-02T00:00:00Z&to=2026-01-02T00:00:00Z",
       400, "bad_request", "from"},
      {"bad bucket", kObs + "station=delhi&metric=pm25&bucket=2h" + kDay, 400, "bad_request", "bucket"},
      {"bucket too small", kObs + "station=delhi&metric=pm25&bucket=59" + kDay, 400, "bad_request", "bucket"},
      {"too many buckets", kObs + "station=delhi&metric=pm25&bucket=60&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
       400, "bad_request", "bucket"},
      {"unknown parameter", kObs + "station=delhi&metric=pm25&limit=5", 400, "bad_request", "limit"},
      {"repeated parameter", kObs + "station=delhi&station=london&metric=pm25", 400, "bad_request", "station"},
      {"range too large", kObs + "station=delhi&metric=pm25&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
       400, "bad_request", "from"},
      {"unknown api path", "/api/v1/nothing", 404, "not_found", ""},
      {"unknown station latest", "/api/v1/stations/atlantis/latest", 404, "not_found", "station"},
      {"latest without id", "/api/v1/stations//latest", 404, "not_found", ""},
      {"very long query", kObs + "station=" + std::string(9000, 'x'), 414, "uri_too_long", ""},
  };
}

TEST_F(ApiServerTest, BadRequestsAreJsonErrors) {
  start();
  for (const auto& c : bad_requests()) {
    SCOPED_TRACE(c.name);
    auto res = client_->Get(c.target);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    const auto j = nlohmann::json::parse(res->body);
    EXPECT_EQ(j["error"]["status"], c.status);
    EXPECT_EQ(j["error"]["code"], c.code);
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
    if (c.parameter.empty()) {
      EXPECT_TRUE(j["error"]["parameter"].is_null());
    } else {
      EXPECT_EQ(j["error"]["parameter"], c.parameter);
    }
  }
}

TEST_F(ApiServerTest, UnknownParameterListsTheValidOnes) {
  start();
  auto res = get(kObs + "station=delhi&metric=pm25&limit=5");
  EXPECT_NE(res->body.find("station, metric, from, to, bucket"), std::string::npos);
}

TEST_F(ApiServerTest, TooManyRawPointsSuggestsABucket) {
  ApiConfig config;
  config.max_points = 100;
  start(config);
  auto res = get(kObs + "station=delhi&metric=pm25" + kDay);
  EXPECT_EQ(res->status, 400);
  const auto j = body(res);
  EXPECT_EQ(j["error"]["parameter"], "bucket");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("bucket=1h"), std::string::npos);
  EXPECT_EQ(get(kObs + "station=delhi&metric=pm25&bucket=1h" + kDay)->status, 200);
}

TEST_F(ApiServerTest, WrongMethodIs405) {
  start();
  for (const std::string path : {"/api/v1/stations", "/health", "/"}) {
    SCOPED_TRACE(path);
    auto post = client_->Post(path, "{}", "application/json");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 405);
    EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
    EXPECT_EQ(nlohmann::json::parse(post->body)["error"]["code"], "method_not_allowed");
  }
  auto del = client_->Delete("/api/v1/stations");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
}

TEST_F(ApiServerTest, ErrorsAreCountedByRouteAndStatus) {
  start();
  get("/api/v1/stations/atlantis/latest");
  const std::string text = get("/metrics")->body;
  EXPECT_NE(text.find(R"(envmon_http_requests_total{route="/api/v1/stations/{id}/latest",status="404"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace envmon::api::testing
