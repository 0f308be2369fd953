// `envmon demo --config configs/postgres.yaml` on a real PostgreSQL: the pipeline writes through
// the PostgreSQL store and the unchanged /api/v1 endpoints answer from it, matching what psql
// reads from the tables. Skips with the reason when no server is configured or reachable.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

#include "e2e/demo_process.h"
#include "store/postgres/pg_conn.h"

namespace envmon::e2e {
namespace {

using store::postgres::Params;
using store::postgres::PgConnection;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

size_t count_of(const std::string& body, const std::string& needle) {
  size_t n = 0;
  for (size_t at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1)) ++n;
  return n;
}

class PgApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (env("ENVMON_PG_DSN").empty()) {
      skip_ = "ENVMON_PG_DSN is not set (ctest starts a server: fixture postgres)";
      return;
    }
    auto c = PgConnection::connect(env("ENVMON_PG_DSN"), env("ENVMON_PG_PASSWORD"), 5);
    if (!c.ok()) {
      skip_ = "no PostgreSQL server: " + c.error().to_string();
      return;
    }
    db_ = std::move(*c).release();
    ASSERT_TRUE(db_->exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public").ok());
    dir_ = make_temp_dir("envmon-pg-api");
    port_ = free_port();
    // A simulated day in ~30 s; the API is queried while the pipeline runs.
    DemoProcess demo({ENVMON_BINARY, "demo", "--config",
                      std::string(ENVMON_SOURCE_DIR) + "/configs/postgres.yaml", "--data-dir",
                      dir_, "--port", std::to_string(port_), "--speed", "2880", "--duration", "34"},
                     dir_ + "/demo.log");
    ASSERT_TRUE(wait_ready(port_, std::chrono::seconds(30))) << read_file(dir_ + "/demo.log");
    std::this_thread::sleep_for(std::chrono::seconds(26));
    for (const char* path : {"/api/v1/stations", "/api/v1/stations/delhi/latest",
                             "/api/v1/stations/nowhere/latest",
                             "/api/v1/observations?station=delhi&metric=pm25&bucket=1h",
                             "/api/v1/observations?station=delhi&metric=pm25&bucket=15m",
                             "/api/v1/aqi/top?metric=aqi_us&limit=5", "/api/v1/aqi/top?metric=pm25"}) {
      std::string body;
      const int status = http_get(port_, path, body);
      responses_[path] = {status, body};
    }
    exit_code_ = demo.wait(std::chrono::seconds(60));
    log_ = read_file(dir_ + "/demo.log");
  }
  static void TearDownTestSuite() {
    delete db_;
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }
  static int64_t scalar(const std::string& sql) {
    auto r = db_->query(sql, Params());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? r->int64(0, 0) : -1;
  }

  static inline std::string skip_;
  static inline PgConnection* db_ = nullptr;  // owned; raw because SetUpTestSuite is static
  static inline std::string dir_;
  static inline int port_ = 0;
  static inline int exit_code_ = -1;
  static inline std::string log_;
  static inline std::map<std::string, std::pair<int, std::string>> responses_;
};

TEST_F(PgApiTest, RunsOnPostgresAndExitsCleanly) {
  EXPECT_EQ(exit_code_, 0) << log_;
  EXPECT_NE(log_.find("store"), std::string::npos);
  EXPECT_EQ(log_.find("level=error"), std::string::npos) << log_;
  EXPECT_GT(scalar("SELECT count(*) FROM measurements"), 16 * 200);
  EXPECT_GT(scalar("SELECT count(*) FROM aggregates_hourly"), 16 * 10);
  EXPECT_EQ(scalar("SELECT count(*) FROM stations"), 16);
}

TEST_F(PgApiTest, ApiAnswersFromPostgresUnchanged) {
  EXPECT_EQ(responses_["/api/v1/stations"].first, 200);
  EXPECT_EQ(count_of(responses_["/api/v1/stations"].second, "\"id\":"), 16u);
  const auto& latest = responses_["/api/v1/stations/delhi/latest"];
  EXPECT_EQ(latest.first, 200) << latest.second;
  EXPECT_NE(latest.second.find("\"metric\":\"pm25\""), std::string::npos) << latest.second;
  EXPECT_EQ(responses_["/api/v1/stations/nowhere/latest"].first, 404);
  for (const char* path : {"/api/v1/observations?station=delhi&metric=pm25&bucket=1h",
                           "/api/v1/observations?station=delhi&metric=pm25&bucket=15m"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(responses_[path].first, 200) << responses_[path].second;
    EXPECT_GT(count_of(responses_[path].second, "\"mean\":"), 0u) << responses_[path].second;
  }
}

TEST_F(PgApiTest, TopStationsByAqiComeFromTheNewestHour) {
  const auto& top = responses_["/api/v1/aqi/top?metric=aqi_us&limit=5"];
  ASSERT_EQ(top.first, 200) << top.second;
  EXPECT_EQ(count_of(top.second, "\"station\":"), 5u) << top.second;
  EXPECT_EQ(responses_["/api/v1/aqi/top?metric=pm25"].first, 400);
}

}  // namespace
}  // namespace envmon::e2e
