// Runs `envmon demo` over a simulated day and checks what a user would: the store holds every
// station's readings with cleaning flags, hourly aggregates agree with the stored rows, AQI is
// computed, and the API answers (including bad requests with JSON 4xx errors).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <cstdlib>
#include <map>

#include "demo_process.h"

namespace envmon::e2e {
namespace {

class Db {
 public:
  explicit Db(const std::string& path) { sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr); }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  // First column of every row as text.
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "SQL error: " << sqlite3_errmsg(db_) << " in " << sql;
      return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* t = sqlite3_column_text(st, i);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    return out;
  }
  int64_t scalar(const std::string& sql) {
    auto r = rows(sql);
    return r.empty() || r[0].empty() || r[0][0].empty() ? 0 : std::stoll(r[0][0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

class DemoE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = make_temp_dir("envmon-e2e");
    port_ = free_port();
    // 4 real seconds of start-up slack + a simulated day: speed 2880 covers 24 h in 30 s.
    DemoProcess demo({ENVMON_BINARY, "demo", "--data-dir", dir_, "--port", std::to_string(port_),
                      "--speed", "2880", "--duration", "34"},
                     dir_ + "/demo.log");
    ASSERT_TRUE(wait_ready(port_, std::chrono::seconds(30))) << read_file(dir_ + "/demo.log");
    std::this_thread::sleep_for(std::chrono::seconds(26));
    // Query the API while the pipeline runs.
    for (const char* path : {"/api/v1/stations", "/api/v1/stations/delhi/latest",
                             "/api/v1/stations/nowhere/latest", "/api/v1/observations?station=delhi",
                             "/api/v1/observations?station=delhi&metric=pm25&bucket=fortnight",
                             "/metrics", "/health", "/api/v1/anomalies?limit=5"}) {
      std::string body;
      const int status = http_get(port_, path, body);
      responses_[path] = {status, body};
    }
    exit_code_ = demo.wait(std::chrono::seconds(60));
    log_ = read_file(dir_ + "/demo.log");
  }

  static inline std::string dir_;
  static inline int port_ = 0;
  static inline int exit_code_ = -1;
  static inline std::string log_;
  static inline std::map<std::string, std::pair<int, std::string>> responses_;
};

TEST_F(DemoE2ETest, ExitsCleanlyAfterDuration) { EXPECT_EQ(exit_code_, 0) << log_; }

TEST_F(DemoE2ETest, StoresEveryStationAndMetric) {
  Db db(dir_ + "/envmon.db");
  auto per_station = db.rows(
      "SELECT station_id, COUNT(DISTINCT observed_at) FROM measurements WHERE metric='temperature' "
      "GROUP BY station_id");
  ASSERT_GE(per_station.size(), 12u) << log_;
  for (const auto& row : per_station) {
    // A simulated day (plus the 6 h backfill) at one reading per 5 minutes is ~360 ticks.
    EXPECT_GE(std::stoll(row[1]), 250) << "station " << row[0];
  }
  EXPECT_EQ(db.scalar("SELECT COUNT(DISTINCT metric) FROM measurements WHERE metric NOT LIKE 'aqi%'"), 13);
}

TEST_F(DemoE2ETest, CleaningFlagsEveryChange) {
  Db db(dir_ + "/envmon.db");
  // flags bits: out_of_bounds 1, spike 2, outlier 4, stuck 8, interpolated 16, converted 64.
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM measurements WHERE flags & 1"), 0) << "out_of_bounds";
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM measurements WHERE flags & 6"), 0) << "spike/outlier";
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM measurements WHERE flags & 16"), 0) << "interpolated";
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM measurements WHERE flags & 64"), 0) << "converted";
  // A masked value is never silently kept: value NULL, raw kept.
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM measurements WHERE (flags & 15) AND NOT (flags & 16) "
                      "AND value IS NOT NULL"),
            0);
}

TEST_F(DemoE2ETest, HourlyAggregatesMatchStoredRows) {
  Db db(dir_ + "/envmon.db");
  auto mismatches = db.rows(
      "SELECT a.station_id, a.metric, a.bucket_start, a.count, "
      "  (SELECT COUNT(*) FROM measurements m WHERE m.station_id=a.station_id AND m.metric=a.metric "
      "     AND m.source=a.source AND m.observed_at >= a.bucket_start AND m.observed_at < a.bucket_start+3600000 "
      "     AND m.value IS NOT NULL AND (m.flags & 31)=0) AS n "
      "FROM aggregates_hourly a WHERE a.metric='pm25' AND a.count <> n LIMIT 5");
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " hourly aggregates disagree with rows, e.g. "
                                  << (mismatches.empty() ? "" : mismatches[0][0] + " " + mismatches[0][2]);
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM aggregates_hourly WHERE metric='pm25'"), 12 * 20);
}

TEST_F(DemoE2ETest, ComputesAqiForEveryStation) {
  Db db(dir_ + "/envmon.db");
  EXPECT_GE(db.scalar("SELECT COUNT(DISTINCT station_id) FROM measurements WHERE metric='aqi_us'"), 12);
  EXPECT_GE(db.scalar("SELECT COUNT(DISTINCT station_id) FROM measurements WHERE metric='aqi_in'"), 3);
  // Delhi is the most polluted default station: its mean US AQI tops London's.
  EXPECT_GT(db.scalar("SELECT AVG(value) FROM measurements WHERE metric='aqi_us' AND station_id='delhi'"),
            db.scalar("SELECT AVG(value) FROM measurements WHERE metric='aqi_us' AND station_id='london'"));
}

TEST_F(DemoE2ETest, ApiAnswers) {
  auto& stations = responses_["/api/v1/stations"];
  EXPECT_EQ(stations.first, 200);
  EXPECT_NE(stations.second.find("\"delhi\""), std::string::npos);
  EXPECT_NE(stations.second.find("\"aqi_us\":{"), std::string::npos) << stations.second.substr(0, 400);
  auto& latest = responses_["/api/v1/stations/delhi/latest"];
  EXPECT_EQ(latest.first, 200);
  EXPECT_NE(latest.second.find("\"pm25\""), std::string::npos);
  EXPECT_EQ(responses_["/api/v1/stations/nowhere/latest"].first, 404);
  auto& missing_metric = responses_["/api/v1/observations?station=delhi"];
  EXPECT_EQ(missing_metric.first, 400);
  EXPECT_NE(missing_metric.second.find("\"parameter\":\"metric\""), std::string::npos) << missing_metric.second;
  EXPECT_EQ(responses_["/api/v1/observations?station=delhi&metric=pm25&bucket=fortnight"].first, 400);
  EXPECT_NE(responses_["/metrics"].second.find("component_received_events_total"), std::string::npos);
  EXPECT_EQ(responses_["/health"].first, 200);
}

// The simulator injects spikes; the online scoring stage reports them (with what drove them),
// the anomaly sink stores them and the API serves them while the demo runs. Afterwards
// `envmon train clusters` clusters the stations from the same store.
TEST_F(DemoE2ETest, AnomaliesAndClustersReachTheApi) {
  auto& anomalies = responses_["/api/v1/anomalies?limit=5"];
  EXPECT_EQ(anomalies.first, 200);
  EXPECT_NE(anomalies.second.find("\"detector\":\"robust_zscore\""), std::string::npos)
      << anomalies.second.substr(0, 400);
  EXPECT_NE(anomalies.second.find("\"explanation\":"), std::string::npos);
  Db db(dir_ + "/envmon.db");
  EXPECT_GT(db.scalar("SELECT COUNT(*) FROM anomalies"), 0);
  const std::string cmd = std::string(ENVMON_BINARY) + " train clusters --data-dir " + dir_ +
                          " --min-hours 12 --k-max 4 > " + dir_ + "/train.out 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir_ + "/train.out");
  EXPECT_NE(read_file(dir_ + "/train.out").find("\"name\":\"silhouette\""), std::string::npos);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM cluster_labels"), 16);
  EXPECT_EQ(db.scalar("SELECT COUNT(DISTINCT model) FROM cluster_labels"), 1);
}

TEST_F(DemoE2ETest, RawLakeHoldsCompressedPartitions) {
  Db db(dir_ + "/envmon.db");
  std::string body;
  // The raw lake is laid out by source and date, write-once, zstd-compressed JSON lines.
  const std::string cmd = "find " + dir_ + "/lake/raw/source=sim -name 'part-*.jsonl.zst' | head -1";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[512] = {0};
  const bool found = p != nullptr && std::fgets(buf, sizeof(buf), p) != nullptr;
  if (p != nullptr) ::pclose(p);
  ASSERT_TRUE(found) << "no raw lake part under " << dir_ << "/lake/raw/source=sim";
  EXPECT_NE(std::string(buf).find("/date="), std::string::npos);
}

}  // namespace
}  // namespace envmon::e2e
