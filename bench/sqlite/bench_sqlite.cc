// SQLite store write throughput: realistic curated readings of 16 stations written through
// Store::write in batches of ~5,000 rows (what the store sink does). Prints JSON lines.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

#include "store/sqlite/sqlite_store_config.h"

namespace {

using envmon::Metric;

constexpr Metric kMetrics[] = {Metric::temperature,
                               Metric::humidity,
                               Metric::pressure,
                               Metric::wind_speed,
                               Metric::wind_direction,
                               Metric::precipitation,
                               Metric::cloud_cover,
                               Metric::pm25,
                               Metric::pm10,
                               Metric::o3,
                               Metric::no2,
                               Metric::so2,
                               Metric::co,
                               Metric::aqi_us,
                               Metric::aqi_in};

// Readings every 5 minutes, station-interleaved as the sink sees them; ~2% masked.
std::vector<envmon::Reading> make_readings(int stations, int steps) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  const envmon::Timestamp t0 = envmon::from_unix_ms(1767225600000);
  std::vector<envmon::Reading> out;
  out.reserve(static_cast<size_t>(stations * steps));
  for (int s = 0; s < steps; ++s) {
    for (int st = 0; st < stations; ++st) {
      envmon::Reading r;
      r.source = envmon::SourceId("sim");
      r.station.id = envmon::StationId("station-" + std::to_string(st));
      r.observed_at = t0 + envmon::Seconds(300) * s;
      r.ingested_at = r.observed_at + envmon::Millis(3500);
      for (Metric m : kMetrics) {
        const auto& info = envmon::metric_info(m);
        const double base = std::min(info.max, std::max(info.min, (info.min + info.max) / 4));
        envmon::Measurement meas{m, base + noise(rng), std::nan(""), "", 0};
        if (u(rng) < 0.02) {
          meas.raw = meas.value * 8;
          meas.value = std::nan("");
          envmon::set_flag(meas.flags, envmon::Flag::spike);
        }
        r.measurements.push_back(meas);
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 10000;  // x16 stations x15 metrics rows
  const size_t batch_rows = 5000;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("envmon_bench_sqlite_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  envmon::store::sqlite::SqliteStoreConfig cfg;
  cfg.path = (dir / "bench.db").string();
  auto store = envmon::store::sqlite::make_sqlite_store(cfg);
  if (auto s = store->open(); !s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.error().to_string().c_str());
    return 1;
  }
  auto readings = make_readings(16, steps);
  size_t rows = 0;
  double seconds = 0;
  double cpu_seconds = 0;
  envmon::store::WriteBatch batch;
  auto write = [&] {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    if (auto s = store->write(batch); !s.ok()) {
      std::fprintf(stderr, "write: %s\n", s.error().to_string().c_str());
      std::exit(1);
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu_seconds += thread_cpu_seconds() - cpu_start;
    batch.readings.clear();
  };
  size_t in_batch = 0;
  for (auto& r : readings) {
    in_batch += r.measurements.size();
    rows += r.measurements.size();
    batch.readings.push_back(std::move(r));
    if (in_batch >= batch_rows) {
      write();
      in_batch = 0;
    }
  }
  if (!batch.readings.empty()) write();
  auto counts = store->counts();
  store->close();
  const auto db_bytes = std::filesystem::file_size(cfg.path);
  std::filesystem::remove_all(dir);
  if (!counts.ok() || counts->observations != static_cast<int64_t>(rows)) {
    std::fprintf(stderr, "row count mismatch\n");
    return 1;
  }
  std::printf("{\"name\":\"sqlite_rows_per_sec\",\"value\":%.0f,\"unit\":\"rows/s\"}\n",
              static_cast<double>(rows) / seconds);
  // Per CPU-second of the writing thread: what the store costs, independent of a busy machine.
  std::printf("{\"name\":\"sqlite_rows_per_cpu_sec\",\"value\":%.0f,\"unit\":\"rows/s\"}\n",
              static_cast<double>(rows) / cpu_seconds);
  std::printf("{\"name\":\"sqlite_rows_written\",\"value\":%zu,\"unit\":\"rows\"}\n", rows);
  std::printf("{\"name\":\"sqlite_db_bytes_per_row\",\"value\":%.1f,\"unit\":\"bytes\"}\n",
              static_cast<double>(db_bytes) / static_cast<double>(rows));
  std::printf("{\"name\":\"sqlite_peak_rss\",\"value\":%ld,\"unit\":\"KiB\"}\n", peak_rss_kib());
  return 0;
}
