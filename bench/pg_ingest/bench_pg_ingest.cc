// PostgreSQL ingest: envmon's writer (rows sorted by primary key, split by station over
// `write-connections` connections, binary COPY, idempotent merge for existing keys, latest and
// progress maintained, each share one committed transaction) against one `psql \copy` of the same
// rows (CSV, in arrival order, with the series ids envmon registered) into the same emptied
// measurements table on the same server. Each side runs `rounds` times, alternating, after a
// CHECKPOINT; the best round of each counts (the machine is shared: the best round is the one
// least disturbed). Every envmon round is a freshly opened store (a restarted process: its
// series ids and newest stored rows are read back at the first batch).
// Usage: envmon_bench_pg_ingest [--stations 200] [--steps 1000] [--write-connections 2]
//   [--batch-rows 50000] [--rounds 2]   (rows = stations x steps x 10)
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>

#include "../pg_common.h"

using namespace envmon;

namespace {

constexpr int kMetrics = 10;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

// Batches of ~batch_rows rows (the sink's: poll_batch 4096 readings of 10 metrics ~ 41,000),
// station-interleaved in time order as the sink writes them.
std::vector<store::WriteBatch> make_batches(int stations, int steps, int batch_rows, Timestamp t0) {
  std::vector<store::WriteBatch> batches(1);
  for (int k = 0; k < steps; ++k) {
    for (int s = 0; s < stations; ++s) {
      if (batches.back().readings.size() * kMetrics >= static_cast<size_t>(batch_rows)) {
        batches.emplace_back();
      }
      batches.back().readings.push_back(bench::bench_reading(s, k, kMetrics, t0));
    }
  }
  return batches;
}

// The series ids the store registered, by "station/metric/source".
std::map<std::string, std::string> series_ids(store::postgres::PgConnection& admin) {
  auto rows = admin.query("SELECT station_id || '/' || metric || '/' || source, id FROM series",
                          store::postgres::Params());
  if (!rows.ok()) fail(rows.error().to_string());
  std::map<std::string, std::string> out;
  for (int i = 0; i < rows->size(); ++i) out[rows->text(i, 0)] = rows->text(i, 1);
  return out;
}

void write_csv(const std::vector<store::WriteBatch>& batches,
               const std::map<std::string, std::string>& ids, const std::string& path) {
  std::ofstream out(path);
  for (const auto& b : batches) {
    for (const auto& r : b.readings) {
      for (const auto& m : r.measurements) {
        const std::string name = std::string(r.station.id.get()) + '/' +
                                 std::string(metric_id(m.metric)) + '/' + r.source.get();
        out << ids.at(name) << ',' << format_rfc3339(r.observed_at) << ','
            << std::to_string(m.value) << ",," << m.flags << ','
            << format_rfc3339(r.ingested_at) << '\n';
      }
    }
  }
}

// Empties what a write fills, then a checkpoint: every round starts from the same state.
void reset(store::postgres::PgConnection& admin) {
  if (!admin.exec("TRUNCATE measurements, latest, source_progress; CHECKPOINT").ok()) {
    fail("cannot truncate");
  }
}

// One round of one side: wall time, CPU of this process (the writer; psql is another
// process) and of the server.
struct Round {
  double secs = 1e300, client_cpu = 0, server_cpu = 0;
};

template <typename Body>
Round timed(Body&& body) {
  const double client0 = bench::process_cpu_secs(), server0 = bench::server_cpu_secs();
  const auto start = std::chrono::steady_clock::now();
  body();
  return {bench::seconds_since(start), bench::process_cpu_secs() - client0,
          bench::server_cpu_secs() - server0};
}

Round time_envmon(const store::postgres::PgStoreConfig& cfg,
                  const std::vector<store::WriteBatch>& batches) {
  auto store = std::make_unique<store::postgres::PgStore>(cfg);
  if (Status s = store->open(); !s.ok()) fail(s.error().to_string());
  return timed([&] {
    for (const auto& b : batches)
      if (Status s = store->write(b); !s.ok()) fail(s.error().to_string());
  });
}

Round time_psql(const std::string& csv) {
  const std::string cmd = std::string(ENVMON_SOURCE_DIR) +
                          "/scripts/postgres/server psql -q -c \"\\copy measurements FROM '" +
                          csv + "' WITH (FORMAT csv)\"";
  return timed([&] {
    if (std::system(cmd.c_str()) != 0) fail("psql \\copy failed");
  });
}

Round best(const Round& a, const Round& b) { return a.secs <= b.secs ? a : b; }

}  // namespace

int main(int argc, char** argv) {
  int stations = 200, steps = 1000, write_connections = 2, batch_rows = 50000, rounds = 2;
  bench::parse_options(argc, argv, {{"stations", &stations}, {"steps", &steps},
                                    {"write-connections", &write_connections},
                                    {"batch-rows", &batch_rows}, {"rounds", &rounds}});
  const Timestamp t0 = from_unix_ms(1767225600000);
  auto cfg = bench::pg_config();
  cfg.write_connections = write_connections;
  bench::fresh_schema(cfg);
  const auto batches = make_batches(stations, steps, batch_rows, t0);
  auto admin = store::postgres::PgConnection::connect(cfg.dsn, cfg.password, 5);
  if (!admin.ok()) fail(admin.error().to_string());
  {  // Partitions ahead and the series registered once, before any timing (as in production:
     // a series is registered with its first row, once in its life).
    store::postgres::PgStore setup(cfg);
    if (Status s = setup.open(); !s.ok()) fail(s.error().to_string());
    (void)setup.ensure_partitions(t0, t0 + Seconds(300LL * steps + 86400));
    if (Status s = setup.write(batches.front()); !s.ok()) fail(s.error().to_string());
  }
  const std::string csv = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                          "/envmon_pg_ingest.csv";
  write_csv(batches, series_ids(**admin), csv);
  Round envmon, psql;
  const double load_start = bench::load_average();
  for (int r = 0; r < rounds; ++r) {
    reset(**admin);
    envmon = best(envmon, time_envmon(cfg, batches));
    reset(**admin);
    psql = best(psql, time_psql(csv));
  }
  std::remove(csv.c_str());
  const double rows = static_cast<double>(stations) * steps * kMetrics;
  bench::figure("pg_ingest_rows", rows, "rows");
  bench::figure("pg_ingest_rows_per_sec", rows / envmon.secs, "rows/s");
  bench::figure("psql_copy_rows_per_sec", rows / psql.secs, "rows/s");
  bench::figure("ratio_vs_psql_copy", psql.secs / envmon.secs, "ratio");
  // Where the time of the best rounds went, and how busy the shared machine was.
  bench::figure("pg_ingest_client_cpu_secs", envmon.client_cpu, "s");
  bench::figure("pg_ingest_server_cpu_secs", envmon.server_cpu, "s");
  bench::figure("psql_copy_server_cpu_secs", psql.server_cpu, "s");
  bench::figure("load_avg_1m_start", load_start, "load");
  bench::figure("load_avg_1m_end", bench::load_average(), "load");
  return 0;
}
