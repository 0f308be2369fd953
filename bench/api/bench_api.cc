// In-process API benchmark: fills a SQLite store (or the fake with --fake), starts ApiServer on a
// free port and drives it with keep-alive httplib clients for a fixed number of requests.
// Prints one JSON line per figure. Usage: envmon_bench_api [--fake] [--clients N] [--requests N]
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "api/api_server.h"
#include "api/fake_store.h"
#include "cache/memory/memory_cache.h"
#include "core/log.h"
#include "store/sqlite/sqlite_store_config.h"

namespace {

using envmon::Metric;
using envmon::Millis;
using envmon::Timestamp;

constexpr int kStations = 16;
constexpr int kDays = 7;
const Timestamp kStart = *envmon::parse_rfc3339("2026-01-01T00:00:00Z");

std::vector<envmon::config::StationConfig> stations() {
  std::vector<envmon::config::StationConfig> out;
  for (int i = 0; i < kStations; ++i) {
    out.push_back({"station-" + std::to_string(i), "Station " + std::to_string(i), 10.0 + i, 20.0 + i,
                   "UTC", "bench"});
  }
  return out;
}

envmon::store::WriteBatch station_batch(const envmon::config::StationConfig& s) {
  envmon::store::WriteBatch batch;
  for (int k = 0; k < kDays * 288; ++k) {
    envmon::Reading r;
    r.source = envmon::SourceId("sim");
    r.station = {envmon::StationId(s.id), s.name, s.lat, s.lon};
    r.observed_at = kStart + Millis(int64_t{k} * 300'000);
    r.ingested_at = r.observed_at;
    const double v = 40.0 + (k % 50);
    r.measurements = {{Metric::pm25, v, std::nan(""), "", 0},
                      {Metric::temperature, 20.0 + (k % 10), std::nan(""), "", 0},
                      {Metric::aqi_us, 2 * v, std::nan(""), "", 0},
                      {Metric::aqi_in, 2.5 * v, std::nan(""), "", 0}};
    batch.readings.push_back(std::move(r));
  }
  return batch;
}

void fill(envmon::store::Store& store) {
  (void)store.upsert_stations(stations());
  for (const auto& s : stations()) {
    if (auto st = store.write(station_batch(s)); !st.ok()) {
      std::fprintf(stderr, "fill failed: %s\n", st.error().to_string().c_str());
      std::exit(1);
    }
  }
}

// Fills `fake` with the same rows the SQLite store gets from WriteBatches.
void fill_fake(envmon::api::testing::FakeStore& fake) {
  (void)fake.upsert_stations(stations());
  for (const auto& s : stations()) {
    for (const auto& r : station_batch(s).readings) {
      for (const auto& m : r.measurements) {
        fake.add({s.id, "sim", m.metric, r.observed_at, m.value, m.value, 0, r.ingested_at});
      }
    }
  }
}

struct RunResult {
  double seconds = 0;
  std::vector<double> latencies_ms;
  int failures = 0;
};

// `clients` keep-alive connections share `total` requests; target_of(i) names request i.
RunResult run(int port, int clients, int total, const std::function<std::string(int)>& target_of) {
  std::vector<std::vector<double>> per_client(static_cast<size_t>(clients));
  std::vector<int> failures(static_cast<size_t>(clients), 0);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      auto& lat = per_client[static_cast<size_t>(c)];
      for (int i = c; i < total; i += clients) {
        const auto t = std::chrono::steady_clock::now();
        auto res = client.Get(target_of(i));
        lat.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
        if (!res || res->status != 200) ++failures[static_cast<size_t>(c)];
      }
    });
  }
  for (auto& t : threads) t.join();
  RunResult out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t c = 0; c < per_client.size(); ++c) {
    out.latencies_ms.insert(out.latencies_ms.end(), per_client[c].begin(), per_client[c].end());
    out.failures += failures[c];
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void print(const char* name, double value, const char* unit) {
  std::printf("{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"}\n", name, value, unit);
}

std::string observations_target(int i) {
  // Different stations, metrics and windows: mostly cache misses, so the store is measured too.
  const int station = i % kStations;
  const int hour = 24 + (i * 7) % (24 * (kDays - 1));
  const Timestamp to = kStart + std::chrono::hours(hour);
  std::string t = "/api/v1/observations?station=station-" + std::to_string(station) +
                  "&metric=" + (i % 2 == 0 ? "pm25" : "temperature") +
                  "&to=" + envmon::format_rfc3339(to);
  if (i % 3 == 0) t += "&bucket=1h&from=" + envmon::format_rfc3339(to - std::chrono::hours(24 * 7 - 24));
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  bool fake = false;
  int clients = 4;
  int requests = 100000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fake") == 0) fake = true;
    if (std::strcmp(argv[i], "--clients") == 0 && i + 1 < argc) clients = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--requests") == 0 && i + 1 < argc) requests = std::atoi(argv[++i]);
  }
  envmon::set_log_level(envmon::LogLevel::warn);
  const auto dir = std::filesystem::temp_directory_path() / ("envmon-bench-api-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::unique_ptr<envmon::store::Store> store;
  if (fake) {
    auto f = std::make_unique<envmon::api::testing::FakeStore>();
    fill_fake(*f);
    store = std::move(f);
  } else {
    envmon::store::sqlite::SqliteStoreConfig sc;
    sc.path = (dir / "bench.db").string();
    store = envmon::store::sqlite::make_sqlite_store(sc);
    if (auto st = store->open(); !st.ok()) {
      std::fprintf(stderr, "open failed: %s\n", st.error().to_string().c_str());
      return 1;
    }
    fill(*store);
  }
  auto cache = envmon::cache::make_memory_cache({});
  envmon::MetricsRegistry registry;
  envmon::api::ApiConfig config;
  config.port = 0;
  config.threads = clients + 2;  // a keep-alive connection holds one worker thread
  envmon::api::ApiServer server(config, *store, *cache, registry, nullptr);
  if (auto st = server.start(); !st.ok()) {
    std::fprintf(stderr, "start failed: %s\n", st.error().to_string().c_str());
    return 1;
  }
  auto latest = run(server.port(), clients, requests, [](int i) {
    return "/api/v1/stations/station-" + std::to_string(i % kStations) + "/latest";
  });
  auto obs = run(server.port(), clients, std::max(1, requests / 50), observations_target);
  server.stop();
  store->close();
  std::filesystem::remove_all(dir);
  print("api_latest_requests_per_sec", static_cast<double>(latest.latencies_ms.size()) / latest.seconds, "req/s");
  print("api_latest_p99_ms", percentile(latest.latencies_ms, 0.99), "ms");
  print("api_observations_p99_ms", percentile(obs.latencies_ms, 0.99), "ms");
  print("api_observations_requests_per_sec", static_cast<double>(obs.latencies_ms.size()) / obs.seconds, "req/s");
  if (latest.failures + obs.failures > 0) {
    std::fprintf(stderr, "failed requests: %d latest, %d observations\n", latest.failures, obs.failures);
    return 1;
  }
  return 0;
}
