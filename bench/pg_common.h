#pragma once
// Shared by bench/pg_ingest and bench/pg_query: the server from the environment (bench/pg_run
// starts one), a fresh schema, deterministic curated readings, JSON-line output.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_store.h"

namespace envmon::bench {

inline store::postgres::PgStoreConfig pg_config() {
  store::postgres::PgStoreConfig cfg;
  const char* dsn = std::getenv("ENVMON_PG_DSN");
  const char* pw = std::getenv("ENVMON_PG_PASSWORD");
  if (dsn == nullptr) {
    std::fprintf(stderr, "ENVMON_PG_DSN is not set (run through bench/run pg-ingest|pg-query)\n");
    std::exit(2);
  }
  cfg.dsn = dsn;
  cfg.password = pw == nullptr ? "" : pw;
  return cfg;
}

// `--name N` options, N a whole number >= 0; anything else (`--steps 1e3` too) prints the
// usage and exits.
inline void parse_options(int argc, char** argv,
                          std::initializer_list<std::pair<const char*, int*>> options) {
  for (int i = 1; i < argc; i += 2) {
    bool known = false;
    for (const auto& [name, value] : options) {
      if (i + 1 < argc && std::string(argv[i]) == std::string("--") + name) {
        char* end = nullptr;
        const long n = std::strtol(argv[i + 1], &end, 10);
        known = *argv[i + 1] != '\0' && *end == '\0' && n >= 0 && n <= 1000000000;
        if (known) *value = static_cast<int>(n);
      }
    }
    if (!known) {
      std::fprintf(stderr, "%s: bad option '%s%s%s'\n", argv[0], argv[i], i + 1 < argc ? " " : "",
                   i + 1 < argc ? argv[i + 1] : "");
      std::fprintf(stderr, "usage: %s", argv[0]);
      for (const auto& [name, value] : options) std::fprintf(stderr, " [--%s %d]", name, *value);
      std::fprintf(stderr, "\n");
      std::exit(2);
    }
  }
}

inline void fresh_schema(const store::postgres::PgStoreConfig& cfg) {
  auto c = store::postgres::PgConnection::connect(cfg.dsn, cfg.password, 5);
  if (!c.ok() || !(*c)->exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public").ok()) {
    std::fprintf(stderr, "cannot reset the schema\n");
    std::exit(1);
  }
}

inline void figure(const char* name, double value, const char* unit) {
  std::printf("{\"name\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"}\n", name, value, unit);
  std::fflush(stdout);
}

// CPU seconds of this process (all threads).
inline double process_cpu_secs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// CPU seconds of the bench server (bench/pg_run's ENVMON_PG_DIR): the postmaster, its live
// children and the children it has reaped (a psql session's backend); 0 when unknown.
inline double server_cpu_secs() {
  const char* dir = std::getenv("ENVMON_PG_DIR");
  if (dir == nullptr) return 0;
  std::ifstream pidfile(std::string(dir) + "/data/postmaster.pid");
  long postmaster = 0;
  if (!(pidfile >> postmaster)) return 0;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  double total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0, skip = 0, utime = 0, stime = 0, cutime = 0, cstime = 0;
    rest >> state >> ppid;
    for (int i = 0; i < 9; ++i) rest >> skip;  // fields 5-13
    rest >> utime >> stime >> cutime >> cstime;
    const long pid = std::atol(entry.path().filename().c_str());
    if (pid == postmaster) total += static_cast<double>(utime + stime + cutime + cstime) / tick;
    else if (ppid == postmaster) total += static_cast<double>(utime + stime) / tick;
  }
  return total;
}

inline double load_average() {
  double one = 0;
  return getloadavg(&one, 1) == 1 ? one : 0;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline constexpr Metric kBenchMetrics[] = {Metric::temperature, Metric::humidity, Metric::pressure,
                                           Metric::wind_speed,  Metric::pm25,     Metric::pm10,
                                           Metric::o3,          Metric::no2,      Metric::co,
                                           Metric::aqi_us};

// One reading of `metrics` measurements for station `s` at step `k` (5 minutes apart).
inline Reading bench_reading(int s, int64_t k, int metrics, Timestamp t0) {
  Reading r;
  r.source = SourceId("sim");
  r.station.id = StationId("st" + std::to_string(s));
  r.observed_at = t0 + Seconds(300 * k);
  r.ingested_at = r.observed_at + Seconds(5);
  for (int m = 0; m < metrics; ++m) {
    const double v = 50 + 20 * std::sin(0.01 * static_cast<double>(k) + s + m) + (k * 7 + s) % 13;
    r.measurements.push_back({kBenchMetrics[m], v, std::nan(""), "", 0});
  }
  return r;
}

}  // namespace envmon::bench
