#include "bench_phases.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "bench_data.h"
#include "bench_util.h"
#include "bus/kafka/kafka_bus.h"
#include "config/node.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "model/codec.h"
#include "processor/stream_processor.h"

namespace envmon::bench_kafka {
namespace {

// 2026-01-01T00:00:00Z: the throughput data set spans N / stations five-minute ticks from here.
constexpr int64_t kEpochMs = 1'767'225'600'000;

}  // namespace

processor::ProcessorConfig processor_config(const config::AppConfig& app, const Options& opts) {
  auto cfg = processor::parse_processor_config(app.processor);
  if (!cfg.ok()) {
    std::fprintf(stderr, "processor config: %s\n", cfg.error().to_string().c_str());
    std::exit(1);
  }
  cfg->runtime.workers = opts.workers;
  if (opts.poll_batch > 0) cfg->runtime.poll_batch = opts.poll_batch;
  if (opts.commit_interval_ms >= 0) cfg->runtime.commit_interval_ms = opts.commit_interval_ms;
  return *cfg;
}

Result<std::unique_ptr<bus::Bus>> open_bus(const Options& opts, const std::string& prefix) {
  std::string yaml = "bootstrap_servers: \"" + opts.bootstrap + "\"\ntopic_prefix: \"" + prefix +
                     "\"\nclient_id: envmon-bench\npartitions: 2\n";
  const auto given = [&](std::string_view key) {
    return std::ranges::any_of(opts.kafka_settings,
                               [&](const std::string& kv) { return kv.starts_with(key); });
  };
  // The processor stamps curated/aggregate records with event time (the bench data spans
  // 2026-2027): with the default 168 h the broker's retention check would delete them while
  // phase d reads them.
  if (!given("retention_hours=")) yaml += "retention_hours: 876000\n";
  for (const auto& kv : opts.kafka_settings) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
      return Error(Errc::config_bad_value, "--kafka " + kv + ": expected key=value");
    yaml += kv.substr(0, eq) + ": " + kv.substr(eq + 1) + "\n";
  }
  auto node = config::load_text(yaml, "bench --kafka");
  if (!node.ok()) return node.error();
  return bus::make_kafka_bus(*node);
}

Status load_raw(bus::Bus& bus, const config::AppConfig& app, const Options& opts) {
  auto producer = bus.producer();
  if (!producer.ok()) return producer.error();
  ReadingGenerator gen(app, kEpochMs, 7, opts.full_precision);
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t seq = 0; seq < opts.readings; ++seq) {
    if (Status s = send_retrying(**producer, gen.next(seq)); !s.ok()) return s;
    if (seq % 500'000 == 499'999) {
      std::fprintf(stderr, "kafka bench: loaded %" PRId64 " readings\n", seq + 1);
    }
  }
  if (Status s = (*producer)->flush(Millis(120'000)); !s.ok()) return s;
  const double secs = seconds_since(t0);
  std::fprintf(stderr,
               "kafka bench: phase a: %" PRId64
               " readings produced in %.2f s (%.0f/s, generation included)\n",
               opts.readings, secs, static_cast<double>(opts.readings) / secs);
  return ok_status();
}

Status warm_up(const config::AppConfig& app, const Options& opts) {
  if (opts.warmup_readings <= 0) return ok_status();
  auto bus = open_bus(opts, opts.prefix + "warm.");
  if (!bus.ok()) return bus.error();
  Options w = opts;
  w.readings = opts.warmup_readings;
  ENVMON_TRY(load_raw(**bus, app, w));
  MetricsRegistry registry;
  SystemClock clock;
  processor::StreamProcessor proc(processor_config(app, w), app, **bus, registry, clock);
  const auto t0 = std::chrono::steady_clock::now();
  ENVMON_TRY(proc.start());
  while (proc.processed() < w.readings) {
    if (seconds_since(t0) > 300) return Error(Errc::net_timeout, "warm-up did not finish in 300 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  proc.stop();
  std::fprintf(stderr,
               "kafka bench: warm-up: %" PRId64 " readings through the processor on %swarm.* in "
               "%.1f s (not measured)\n",
               w.readings, opts.prefix.c_str(), seconds_since(t0));
  return ok_status();
}

Status run_throughput(bus::Bus& bus, const config::AppConfig& app, const Options& opts) {
  MetricsRegistry registry;
  SystemClock clock;
  processor::StreamProcessor proc(processor_config(app, opts), app, bus, registry, clock);
  const auto threads0 = thread_cpu(0);
  const auto broker_threads0 = thread_cpu(opts.broker_pid);
  const double cpu0 = process_cpu_secs();
  const double broker0 = other_cpu_secs(opts.broker_pid);
  const auto t0 = std::chrono::steady_clock::now();
  if (Status s = proc.start(); !s.ok()) return s;
  int64_t last_report = 0;
  while (proc.processed() < opts.readings) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (proc.processed() - last_report >= 500'000) {
      last_report = proc.processed();
      std::fprintf(stderr, "kafka bench: processed %" PRId64 " (%.1f s)\n", last_report,
                   seconds_since(t0));
    }
  }
  const double secs = seconds_since(t0);
  const double cpu = process_cpu_secs() - cpu0;
  const double broker = other_cpu_secs(opts.broker_pid) - broker0;
  std::fprintf(stderr, "kafka bench: phase b: cpu s by thread:%s\n",
               thread_cpu_delta(threads0, thread_cpu(0)).c_str());
  if (opts.broker_pid > 0) {
    std::fprintf(stderr, "kafka bench: phase b: broker cpu s by thread:%s\n",
                 thread_cpu_delta(broker_threads0, thread_cpu(opts.broker_pid)).c_str());
  }
  const auto t_stop = std::chrono::steady_clock::now();
  proc.stop();  // drains, flushes the still-open hours (not part of the timed run)
  std::fprintf(stderr,
               "kafka bench: phase b: %" PRId64 " readings in %.2f s, cpu %.2f s, stop %.2f s\n",
               opts.readings, secs, cpu, seconds_since(t_stop));
  const double millions = static_cast<double>(opts.readings) / 1e6;
  print_figure("kafka_readings_per_sec", static_cast<double>(opts.readings) / secs, "readings/s");
  print_figure("kafka_cpu_sec_per_million", cpu / millions, "cpu-s/M readings");
  if (broker >= 0 && opts.broker_pid > 0) {
    print_figure("kafka_broker_cpu_sec_per_million", broker / millions, "cpu-s/M readings");
  }
  print_figure("kafka_peak_rss_mb", peak_rss_mb(), "MB");
  return ok_status();
}

namespace {

using AggKey = std::tuple<std::string, std::string, int64_t>;  // station, metric, hour ms

Status write_csv(const std::map<AggKey, Aggregate>& latest, const std::string& path) {
  std::ofstream out(path);
  if (!out) return Error(Errc::io, "cannot write " + path);
  out << "station,metric,hour,count,mean,min,max\n";
  char buf[256];
  for (const auto& [key, a] : latest) {
    std::snprintf(buf, sizeof buf, ",%" PRId64 ",%.17g,%.17g,%.17g\n", a.count, a.mean, a.min,
                  a.max);
    out << std::get<0>(key) << ',' << std::get<1>(key) << ',' << format_rfc3339(a.bucket_start)
        << buf;
  }
  return out ? ok_status() : Error(Errc::io, "write failed: " + path);
}

}  // namespace

Status collect_aggregates(bus::Bus& bus, const std::string& csv_path) {
  const int64_t expected = bus.stats(bus::Topic::aggregates).produced;
  auto consumer = bus.consumer("aggregates-collector", {bus::Topic::aggregates});
  if (!consumer.ok()) return consumer.error();
  std::map<AggKey, Aggregate> latest;
  // `expected` counts records; a batch record (processor output_framing batch) holds several
  // aggregates, so progress is measured in offsets: records read = next offset per partition.
  std::map<int32_t, int64_t> next_offset;
  int64_t seen = 0;
  int64_t messages = 0;
  int64_t bad = 0;
  const auto t0 = std::chrono::steady_clock::now();
  while (seen < expected && seconds_since(t0) < 120) {
    auto batch = (*consumer)->poll(4096, Millis(500));
    if (!batch.ok()) return batch.error();
    if (messages / 200'000 != (messages + static_cast<int64_t>(batch->size())) / 200'000) {
      std::fprintf(stderr, "kafka bench: phase d: %" PRId64 " aggregates read (%.1f s)\n",
                   messages + static_cast<int64_t>(batch->size()), seconds_since(t0));
    }
    for (const auto& m : *batch) {
      ++messages;
      next_offset[m.partition] = std::max(next_offset[m.partition], m.offset + 1);
      auto a = decode_aggregate(m.payload);
      if (!a.ok()) {
        ++bad;
        continue;
      }
      if (metric_info(a->metric).kind == MetricKind::index) continue;
      AggKey key{a->station.get(), std::string(metric_id(a->metric)), to_unix_ms(a->bucket_start)};
      auto [it, inserted] = latest.try_emplace(key, *a);
      if (!inserted && a->revision >= it->second.revision) it->second = *a;
    }
    seen = 0;
    for (const auto& [partition, next] : next_offset)
      seen += next;
  }
  (*consumer)->close();
  std::fprintf(stderr,
               "kafka bench: phase d: %" PRId64 "/%" PRId64 " aggregate records (%" PRId64
               " aggregates), %zu series-hours, %" PRId64 " undecodable -> %s\n",
               seen, expected, messages, latest.size(), bad, csv_path.c_str());
  if (seen < expected)
    return Error(Errc::internal, "aggregates topic: read only " + std::to_string(seen));
  return write_csv(latest, csv_path);
}

}  // namespace envmon::bench_kafka
