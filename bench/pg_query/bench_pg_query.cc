// PostgreSQL dashboard queries at the size: a year of 5-minute data for 100 stations and
// 10 metrics (~105 M raw rows) with hourly aggregates, loaded day by day through envmon's writer;
// then the retention job's maintenance (daily aggregates, partitions clustered if they need it)
// and the dashboard's queries as the API issues them (stations(), then range() or buckets()) at
// random stations, metrics and weeks: a week of raw rows of one series, a year of one series
// bucketed by day, latest, top stations by AQI. Prints p50/p99 per query.
// Usage: envmon_bench_pg_query [--stations 100] [--days 365] [--queries 200] [--raw-days DAYS]
// (raw-days < days: raw rows only for the last raw-days, as after retention; aggregates for all)
#include <algorithm>
#include <random>

#include "../pg_common.h"

using namespace envmon;

namespace {

constexpr int kMetrics = 10;
constexpr size_t kApiMaxPoints = 10000;  // api.max_points: the API asks for one row more

// One day of readings of every station plus their hourly aggregates (as the processor emits).
store::WriteBatch day_batch(int stations, int day, Timestamp t0, bool raw) {
  store::WriteBatch b;
  for (int64_t k = day * 288LL; k < (day + 1) * 288LL; ++k)
    for (int s = 0; s < stations; ++s)
      b.readings.push_back(bench::bench_reading(s, k, kMetrics, t0));
  for (int s = 0; s < stations; ++s) {
    for (int h = 0; h < 24; ++h) {
      for (int m = 0; m < kMetrics; ++m) {
        double sum = 0, mn = 1e300, mx = -1e300;
        for (int i = 0; i < 12; ++i) {
          const double v = b.readings[(h * 12 + i) * stations + s].measurements[m].value;
          sum += v, mn = std::min(mn, v), mx = std::max(mx, v);
        }
        const Metric metric = bench::kBenchMetrics[m];
        b.aggregates.push_back({SourceId("sim"), StationId("st" + std::to_string(s)), metric,
                                t0 + Seconds(86400LL * day + 3600 * h), Seconds(3600), sum / 12,
                                mn, mx, 12, 0, metric == Metric::aqi_us ? "pm25" : ""});
      }
    }
  }
  if (!raw) b.readings.clear();
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

[[noreturn]] void fail(const Error& e) {
  std::fprintf(stderr, "%s\n", e.to_string().c_str());
  std::exit(1);
}

void load(store::postgres::PgStore& store, int stations, int days, int raw_days, Timestamp t0) {
  std::vector<config::StationConfig> list;
  for (int s = 0; s < stations; ++s)
    list.push_back({"st" + std::to_string(s), "Station " + std::to_string(s), 28.6, 77.2, "UTC",
                    "bench"});
  if (Status st = store.upsert_stations(list); !st.ok()) fail(st.error());
  const auto start = std::chrono::steady_clock::now();
  for (int d = 0; d < days; ++d) {
    Status s = store.write(day_batch(stations, d, t0, d >= days - raw_days));
    if (!s.ok()) fail(s.error());
    if (d % 30 == 29) std::fprintf(stderr, "pg-query: %d of %d days loaded\n", d + 1, days);
  }
  const double rows = static_cast<double>(stations) * raw_days * 288 * kMetrics;
  bench::figure("pg_query_loaded_rows", rows, "rows");
  bench::figure("pg_query_load_rows_per_sec", rows / bench::seconds_since(start), "rows/s");
  bench::figure("pg_query_hourly_aggregates",
                static_cast<double>(stations) * days * 24 * kMetrics, "rows");
}

}  // namespace

int main(int argc, char** argv) {
  int stations = 100, days = 365, queries = 200, raw_days = -1;
  bench::parse_options(argc, argv, {{"stations", &stations}, {"days", &days},
                                    {"queries", &queries}, {"raw-days", &raw_days}});
  if (raw_days < 0 || raw_days > days) raw_days = days;
  const Timestamp t0 = from_unix_ms(1735689600000);  // 2025-01-01
  const auto cfg = bench::pg_config();
  bench::fresh_schema(cfg);
  store::postgres::PgStore store(cfg);
  if (Status s = store.open(); !s.ok()) fail(s.error());
  load(store, stations, days, raw_days, t0);
  // The retention job's run (nothing is old enough to delete): daily aggregates from the
  // hourly ones, closed partitions clustered by series where they are not in that order yet.
  auto start = std::chrono::steady_clock::now();
  if (auto r = store.apply_retention(t0); !r.ok()) fail(r.error());
  bench::figure("pg_query_maintenance_secs", bench::seconds_since(start), "s");
  auto admin = store::postgres::PgConnection::connect(cfg.dsn, cfg.password, 5);
  if (!admin.ok()) fail(admin.error());
  start = std::chrono::steady_clock::now();
  if (Status s = (*admin)->exec("VACUUM ANALYZE"); !s.ok()) fail(s.error());
  bench::figure("pg_query_vacuum_secs", bench::seconds_since(start), "s");
  std::mt19937 rng(7);
  auto station = [&] { return "st" + std::to_string(static_cast<int>(rng() % stations)); };
  auto metric = [&] { return bench::kBenchMetrics[rng() % kMetrics]; };
  // As the API's /observations: stations() to check the station exists, then the rows.
  time_queries("pg_query_week", queries, [&](int) {
    const int64_t day = days - raw_days + rng() % std::max(1, raw_days - 7);
    const Timestamp from = t0 + Seconds(86400LL * day);
    auto known = store.stations();
    auto r = store.range(station(), metric(), from, from + Seconds(7 * 86400), kApiMaxPoints + 1);
    return known.ok() && r.ok() && !r->empty();
  });
  time_queries("pg_query_year_daily", queries, [&](int) {
    auto known = store.stations();
    auto r = store.buckets(station(), metric(), t0, t0 + Seconds(86400LL * days), Seconds(86400));
    return known.ok() && r.ok() && !r->empty();
  });
  time_queries("pg_query_latest", queries, [&](int) { return store.latest(station()).ok(); });
  time_queries("pg_query_top_aqi", queries, [&](int) {
    auto r = store.top_stations_by_aqi(Metric::aqi_us, 10);
    return r.ok() && !r->empty();
  });
  store.close();
  return 0;
}
