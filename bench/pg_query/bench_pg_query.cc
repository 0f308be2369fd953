// PostgreSQL dashboard queries: loads `days` of 5-minute data (default a year) for `stations`
// stations and 10 metrics with hourly aggregates through envmon's writer, then times the
// dashboard's queries at random stations, metrics and weeks: a week of raw rows of one series,
// a year of one series bucketed by day, latest, top stations by AQI. Prints p50/p99.
// Usage: envmon_bench_pg_query [stations=100] [days=365] [queries=200] [raw_days=days]
// (raw_days < days: raw rows only for the last raw_days, as after retention; aggregates for all)
#include <algorithm>
#include <random>

#include "../pg_common.h"

using namespace envmon;

namespace {

constexpr int kMetrics = 10;

// One day of readings of every station plus their hourly aggregates.
store::WriteBatch day_batch(int stations, int day, Timestamp t0, bool raw) {
  store::WriteBatch b;
  for (int64_t k = day * 288LL; raw && k < (day + 1) * 288LL; ++k)
    for (int s = 0; s < stations; ++s) b.readings.push_back(bench::bench_reading(s, k, kMetrics, t0));
  for (int s = 0; s < stations; ++s) {
    for (int h = 0; h < 24; ++h) {
      for (int m = 0; m < kMetrics; ++m) {
        double sum = 0, mn = 1e300, mx = -1e300;
        for (int i = 0; i < 12; ++i) {
          const double v = bench::bench_reading(s, day * 288LL + h * 12 + i, kMetrics, t0).measurements[m].value;
          sum += v, mn = std::min(mn, v), mx = std::max(mx, v);
        }
        b.aggregates.push_back({SourceId("sim"), StationId("st" + std::to_string(s)), bench::kBenchMetrics[m],
                                t0 + Seconds(86400LL * day + 3600 * h), Seconds(3600), sum / 12, mn, mx, 12, 0,
                                bench::kBenchMetrics[m] == Metric::aqi_us ? "pm25" : ""});
      }
    }
  }
  return b;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

template <typename Query>
void time_queries(const char* name, int n, Query&& q) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    const auto t = std::chrono::steady_clock::now();
    if (!q(i)) {
      std::fprintf(stderr, "%s failed\n", name);
      std::exit(1);
    }
    ms.push_back(bench::seconds_since(t) * 1000);
  }
  bench::figure((std::string(name) + "_p50_ms").c_str(), percentile(ms, 0.5), "ms");
  bench::figure((std::string(name) + "_p99_ms").c_str(), percentile(ms, 0.99), "ms");
}

}  // namespace

int main(int argc, char** argv) {
  const int stations = argc > 1 ? std::atoi(argv[1]) : 100;
  const int days = argc > 2 ? std::atoi(argv[2]) : 365;
  const int queries = argc > 3 ? std::atoi(argv[3]) : 200;
  const int raw_days = argc > 4 ? std::atoi(argv[4]) : days;
  const Timestamp t0 = from_unix_ms(1735689600000);  // 2025-01-01
  const auto cfg = bench::pg_config();
  bench::fresh_schema(cfg);
  store::postgres::PgStore store(cfg);
  if (Status s = store.open(); !s.ok()) return std::fprintf(stderr, "%s\n", s.error().to_string().c_str()), 1;
  auto start = std::chrono::steady_clock::now();
  for (int d = 0; d < days; ++d) {
    if (Status s = store.write(day_batch(stations, d, t0, d >= days - raw_days)); !s.ok()) {
      return std::fprintf(stderr, "%s\n", s.error().to_string().c_str()), 1;
    }
  }
  const double rows = static_cast<double>(stations) * raw_days * 288 * kMetrics;
  bench::figure("pg_query_loaded_rows", rows, "rows");
  bench::figure("pg_query_load_rows_per_sec", rows / bench::seconds_since(start), "rows/s");
  bench::figure("pg_query_hourly_aggregates", static_cast<double>(stations) * days * 24 * kMetrics, "rows");
  // The retention job's maintenance (nothing is old enough to delete): closed partitions are
  // clustered by series, as they would be a day after they close.
  start = std::chrono::steady_clock::now();
  if (auto r = store.apply_retention(t0); !r.ok()) return std::fprintf(stderr, "%s\n", r.error().to_string().c_str()), 1;
  bench::figure("pg_query_maintenance_secs", bench::seconds_since(start), "s");
  auto admin = store::postgres::PgConnection::connect(cfg.dsn, cfg.password, 5);
  if (!admin.ok() || !(*admin)->exec("VACUUM ANALYZE").ok()) return 1;
  std::mt19937 rng(7);
  auto station = [&] { return "st" + std::to_string(static_cast<int>(rng() % stations)); };
  auto metric = [&] { return bench::kBenchMetrics[rng() % kMetrics]; };
  time_queries("pg_query_week", queries, [&](int) {
    const Timestamp from = t0 + Seconds(86400LL * (days - raw_days + rng() % std::max(1, raw_days - 7)));
    auto r = store.range(station(), metric(), from, from + Seconds(7 * 86400), 5000);
    return r.ok() && !r->empty();
  });
  time_queries("pg_query_year_daily", queries, [&](int) {
    auto r = store.buckets(station(), metric(), t0, t0 + Seconds(86400LL * days), Seconds(86400));
    return r.ok() && !r->empty();
  });
  time_queries("pg_query_latest", queries, [&](int) { return store.latest(station()).ok(); });
  time_queries("pg_query_top_aqi", queries, [&](int) {
    auto r = store.top_stations_by_aqi(Metric::aqi_us, 10);
    return r.ok() && !r->empty();
  });
  store.close();
  return 0;
}
