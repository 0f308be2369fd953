#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/result.h"
#include "processor/processor_config.h"

namespace envmon::bench_kafka {

struct Options {
  int64_t readings = 2'000'000;
  std::string bootstrap = "127.0.0.1:19292";
  std::string prefix;                       // default "bench<pid>."
  std::vector<std::string> kafka_settings;  // extra bus.kafka keys, "key=value"
  int64_t workers = 2;
  int64_t poll_batch = 0;        // 0: the processor's default
  int64_t commit_interval_ms = -1;  // < 0: the processor's default
  double latency_rate = 20'000;  // offered load of phase c, readings/s
  double latency_secs = 10;
  std::string aggregates_csv;  // phase d output; empty = skip phase d
  int64_t broker_pid = 0;      // to report the broker's CPU too (optional)
  bool skip_latency = false;
  int64_t warmup_readings = 300'000;  // 0: measure on the fresh broker
  bool full_precision = false;  // 17-digit values, the data before 8c15711
  int64_t stations = 64;       // generated stations (a multiple of the default config's 16)
  std::string stations_yaml;   // where to write the station list for the Spark peer
};

// The processor block of the default config with opts.workers / opts.poll_batch applied.
processor::ProcessorConfig processor_config(const config::AppConfig& app, const Options& opts);
// A Kafka bus on `opts.bootstrap` with `prefix`, 2 partitions, plus opts.kafka_settings.
Result<std::unique_ptr<bus::Bus>> open_bus(const Options& opts, const std::string& prefix);

// Phase a: produces opts.readings readings into the raw topic and flushes.
Status load_raw(bus::Bus& bus, const config::AppConfig& app, const Options& opts);
// Before phase b: the same consume -> process -> produce path over opts.warmup_readings on
// topics of its own (<prefix>warm.*), so the fresh broker's JIT compiles its produce, fetch and
// commit paths before the measurement (without it, about half of the broker's CPU in phase b
// of a 1M run was C2 compiling). The Spark peer runs later on the same, warm, broker.
Status warm_up(const config::AppConfig& app, const Options& opts);
// Phase b: StreamProcessor over the loaded topic until every reading is processed; prints
// kafka_readings_per_sec, kafka_cpu_sec_per_million, kafka_peak_rss_mb, ...
Status run_throughput(bus::Bus& bus, const config::AppConfig& app, const Options& opts);
// Phase d: reads the aggregates topic, keeps the latest revision per (station, metric, hour) of
// the measured metrics (AQI indices are envmon-only) and writes them sorted as CSV.
Status collect_aggregates(bus::Bus& bus, const std::string& csv_path);
// Phase c: end-to-end latency raw -> curated at a fixed offered load, on its own topics.
Status run_latency(const config::AppConfig& app, const Options& opts);

}  // namespace envmon::bench_kafka
