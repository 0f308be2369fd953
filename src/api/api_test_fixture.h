#pragma once
// Shared set-up of the ApiServer tests: a fake store with three stations and two days of data,
// a memory cache, a manual clock and a server on a free port.

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/api_server.h"
#include "api/fake_store.h"
#include "cache/memory/memory_cache.h"

namespace envmon::api::testing {

inline Timestamp t0() { return *parse_rfc3339("2026-01-02T00:00:00Z"); }

inline void fill_store(FakeStore& store) {
  (void)store.upsert_stations({
      {"delhi", "Delhi (Anand Vihar)", 28.6469, 77.3159, "Asia/Kolkata", "south-asia"},
      {"london", "London (Marylebone)", 51.5225, -0.1546, "Europe/London", "europe"},
      {"empty", "No data yet", 0, 0, "UTC", "nowhere"},
  });
  for (int i = 0; i < 48 * 12; ++i) {  // two days of 5-minute pm25 readings
    const Timestamp t = t0() + Millis(int64_t{i} * 300'000);
    store.add({"delhi", "sim", Metric::pm25, t, 50.0 + i % 12, 50.0 + i % 12, 0, t});
  }
  const Timestamp last = t0() + std::chrono::hours(47) + std::chrono::minutes(55);
  store.add({"delhi", "sim", Metric::aqi_us, last, 153.4, 153.4, static_cast<FlagSet>(Flag::derived), last});
  store.add({"delhi", "sim", Metric::aqi_in, last, 212, 212, static_cast<FlagSet>(Flag::derived), last});
  FlagSet masked = 0;
  set_flag(masked, Flag::spike);
  store.add({"london", "sim", Metric::temperature, last, std::nan(""), 99, masked, last});
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override { fill_store(store_); }
  void TearDown() override {
    client_.reset();  // closes the keep-alive connection so stop() need not wait for its timeout
    if (server_) server_->stop();
  }

  void start(ApiConfig config = {}) {
    config.port = 0;
    config.threads = 2;
    if (config.web_dir.empty()) config.web_dir = "/nonexistent/envmon-web";
    server_ = std::make_unique<ApiServer>(config, store_, *cache_, registry_,
                                          [this] { return ready_; }, &clock_);
    ASSERT_TRUE(server_->start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_keep_alive(true);
  }

  // GET `target`; fails the test when the request itself fails.
  httplib::Result get(const std::string& target) {
    auto res = client_->Get(target);
    EXPECT_TRUE(res) << "request failed: " << target;
    return res;
  }
  static nlohmann::json body(const httplib::Result& res) { return nlohmann::json::parse(res->body); }

  FakeStore store_;
  MetricsRegistry registry_;
  std::unique_ptr<cache::Cache> cache_ = cache::make_memory_cache({});
  ManualClock clock_{t0() + std::chrono::hours(48)};
  bool ready_ = true;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace envmon::api::testing
