// PostgreSQL ingest: envmon's writer (binary COPY into staging + ON CONFLICT merge, latest and
// progress maintained) against `psql \copy` of the same rows into the same measurements table.
// Usage: envmon_bench_pg_ingest [--stations 200] [--steps 1000] [--write-connections 2]
// (rows = stations x steps x 10; 1 write connection = the writer on one connection, as psql).
#include <cstdlib>
#include <fstream>

#include "../pg_common.h"

using namespace envmon;

int main(int argc, char** argv) {
  int stations = 200, steps = 1000, write_connections = 2, batch_rows = 50000;
  bench::parse_options(argc, argv, {{"stations", &stations}, {"steps", &steps},
                                    {"write-connections", &write_connections},
                                    {"batch-rows", &batch_rows}});
  constexpr int kMetrics = 10;
  const Timestamp t0 = from_unix_ms(1767225600000);
  auto cfg = bench::pg_config();
  cfg.write_connections = write_connections;
  bench::fresh_schema(cfg);
  store::postgres::PgStore store(cfg);
  if (Status s = store.open(); !s.ok()) return std::fprintf(stderr, "%s\n", s.error().to_string().c_str()), 1;
  (void)store.ensure_partitions(t0, t0 + Seconds(300LL * steps + 86400));
  // Batches of ~50,000 rows (the sink's: poll_batch 4096 readings of 10 metrics),
  // station-interleaved in time order as the sink writes them.
  std::vector<store::WriteBatch> batches(1);
  for (int k = 0; k < steps; ++k) {
    for (int s = 0; s < stations; ++s) {
      if (batches.back().readings.size() * kMetrics >= static_cast<size_t>(batch_rows)) batches.emplace_back();
      batches.back().readings.push_back(bench::bench_reading(s, k, kMetrics, t0));
    }
  }
  const double rows = static_cast<double>(stations) * steps * kMetrics;
  auto admin = store::postgres::PgConnection::connect(cfg.dsn, cfg.password, 5);
  if (!admin.ok() || !(*admin)->exec("CHECKPOINT").ok()) return 1;
  auto start = std::chrono::steady_clock::now();
  for (const auto& b : batches) {
    if (Status s = store.write(b); !s.ok()) return std::fprintf(stderr, "%s\n", s.error().to_string().c_str()), 1;
  }
  const double envmon_secs = bench::seconds_since(start);
  // The same rows as CSV for psql (written before timing).
  const std::string csv = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                          "/envmon_pg_ingest.csv";
  {
    std::ofstream out(csv);
    for (const auto& b : batches)
      for (const auto& r : b.readings)
        for (const auto& m : r.measurements)
          out << r.station.id.get() << ',' << metric_id(m.metric) << ','
              << format_rfc3339(r.observed_at) << ',' << r.source.get() << ','
              << std::to_string(m.value) << ",," << m.flags << ','
              << format_rfc3339(r.ingested_at) << '\n';
  }
  if (!(*admin)->exec("TRUNCATE measurements; CHECKPOINT").ok()) return 1;
  const std::string cmd = std::string(ENVMON_SOURCE_DIR) + "/scripts/postgres/server psql -q -c \"\\copy measurements FROM '" + csv + "' WITH (FORMAT csv)\"";
  start = std::chrono::steady_clock::now();
  if (std::system(cmd.c_str()) != 0) return std::fprintf(stderr, "psql \\copy failed\n"), 1;
  const double psql_secs = bench::seconds_since(start);
  std::remove(csv.c_str());
  bench::figure("pg_ingest_rows", rows, "rows");
  bench::figure("pg_ingest_rows_per_sec", rows / envmon_secs, "rows/s");
  bench::figure("psql_copy_rows_per_sec", rows / psql_secs, "rows/s");
  bench::figure("ratio_vs_psql_copy", psql_secs / envmon_secs, "ratio");
  store.close();
  return 0;
}
