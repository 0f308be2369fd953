// `bench/run kafka`: envmon's StreamProcessor on a real Kafka broker. Phases (progress on stderr,
// figures as JSON lines on stdout):
//   a. produce N realistic readings into <prefix>raw (2 partitions)
//   b. consume -> process -> produce throughput with 2 workers, CPU s per million, peak RSS
//   d. the latest revision of every hourly aggregate of phase b's data -> CSV (Spark comparison)
//   c. end-to-end latency raw -> curated at a fixed offered load, on separate topics
// The broker is not started here: bench/kafka/run_bench starts one, runs this, then the Spark
// peer, and compares. Run by hand: envmon_bench_kafka --bootstrap 127.0.0.1:19292 [options].
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <unistd.h>

#include "bench_data.h"
#include "bench_phases.h"
#include "bench_util.h"

namespace {

using envmon::bench_kafka::Options;

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: envmon_bench_kafka [--bootstrap HOST:PORT] [--readings N] [--prefix P]\n"
               "         [--workers N] [--poll-batch N] [--commit-interval-ms N] [--latency-rate R] [--latency-secs S] "
               "[--no-latency]\n"
               "         [--aggregates-csv PATH] [--broker-pid PID] [--kafka key=value]...\n"
               "         [--stations N (multiple of 16, default 64)] [--stations-yaml PATH]\n"
               "         [--warmup-readings N (default 300000, 0: none)] [--full-precision]\n");
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--no-latency") {
      o.skip_latency = true;
      continue;
    }
    if (a == "--full-precision") {
      o.full_precision = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const std::string v = argv[++i];
    if (a == "--bootstrap")
      o.bootstrap = v;
    else if (a == "--readings")
      o.readings = std::stoll(v);
    else if (a == "--prefix")
      o.prefix = v;
    else if (a == "--workers")
      o.workers = std::stoll(v);
    else if (a == "--poll-batch")
      o.poll_batch = std::stoll(v);
    else if (a == "--commit-interval-ms")
      o.commit_interval_ms = std::stoll(v);
    else if (a == "--latency-rate")
      o.latency_rate = std::stod(v);
    else if (a == "--latency-secs")
      o.latency_secs = std::stod(v);
    else if (a == "--aggregates-csv")
      o.aggregates_csv = v;
    else if (a == "--broker-pid")
      o.broker_pid = std::stoll(v);
    else if (a == "--warmup-readings")
      o.warmup_readings = std::stoll(v);
    else if (a == "--stations")
      o.stations = std::stoll(v);
    else if (a == "--stations-yaml")
      o.stations_yaml = v;
    else if (a == "--kafka")
      o.kafka_settings.push_back(v);
    else
      usage();
  }
  if (o.readings <= 0 || o.workers <= 0 || o.latency_rate <= 0 || o.latency_secs <= 0) usage();
  if (o.prefix.empty()) o.prefix = "bench" + std::to_string(getpid()) + ".";
  return o;
}

void check(const envmon::Status& s, const char* phase) {
  if (s.ok()) return;
  std::fprintf(stderr, "kafka bench: %s failed: %s\n", phase, s.error().to_string().c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  namespace kb = envmon::bench_kafka;
  const Options opts = parse_options(argc, argv);
  const auto app = kb::load_bench_config(opts.stations);
  std::fprintf(stderr, "kafka bench: %lld readings of %zu stations, prefix %s, broker %s\n",
               static_cast<long long>(opts.readings), app.stations.size(), opts.prefix.c_str(),
               opts.bootstrap.c_str());
  if (!opts.stations_yaml.empty())
    check(kb::write_stations_yaml(app, opts.stations_yaml), "writing the station list");
  kb::print_figure("kafka_measurements_per_reading", kb::kMeasurementsPerReading, "measurements");
  auto bus = kb::open_bus(opts, opts.prefix);
  if (!bus.ok()) check(bus.error(), "connect");
  check(kb::load_raw(**bus, app, opts), "phase a (load)");
  check(kb::warm_up(app, opts), "warm-up");
  check(kb::run_throughput(**bus, app, opts), "phase b (throughput)");
  if (!opts.aggregates_csv.empty()) {
    check(kb::collect_aggregates(**bus, opts.aggregates_csv), "phase d (aggregates)");
  }
  if (!opts.skip_latency) check(kb::run_latency(app, opts), "phase c (latency)");
  return 0;
}
