// Phase c: end-to-end latency raw -> StreamProcessor -> curated at a fixed offered load.
#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <thread>
#include <vector>

#include "bench_data.h"
#include "bench_phases.h"
#include "bench_util.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "model/codec.h"
#include "processor/stream_processor.h"

namespace envmon::bench_kafka {
namespace {

// Far from the throughput data set; its own topics anyway.
constexpr int64_t kLatencyEpochMs = 1'798'761'600'000;  // 2027-01-01T00:00:00Z
using SteadyClock = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

// Sends `total` readings paced at `rate`/s; stamps send_ns[seq] just before each send.
void produce_paced(bus::Producer& producer, ReadingGenerator& gen, int64_t total, double rate,
                   std::vector<std::atomic<int64_t>>& send_ns, std::atomic<bool>& failed) {
  const auto t0 = SteadyClock::now();
  int64_t seq = 0;
  while (seq < total && !failed.load()) {
    const auto due = static_cast<int64_t>(seconds_since(t0) * rate);
    for (; seq < std::min(due, total); ++seq) {
      bus::Message m = gen.next(seq);
      send_ns[static_cast<size_t>(seq)].store(now_ns());
      if (!send_retrying(producer, std::move(m)).ok()) failed.store(true);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

// Consumes curated until every reading came back (or the deadline): latency per sequence.
std::vector<double> consume_latencies(bus::Consumer& consumer, const ReadingGenerator& gen,
                                      int64_t total, double deadline_secs,
                                      const std::vector<std::atomic<int64_t>>& send_ns) {
  std::vector<double> ms(static_cast<size_t>(total), -1);
  int64_t got = 0;
  const auto t0 = SteadyClock::now();
  Reading r;
  while (got < total && seconds_since(t0) < deadline_secs) {
    auto batch = consumer.poll(4096, Millis(100));
    if (!batch.ok()) break;
    const int64_t recv = now_ns();
    for (const auto& m : *batch) {
      if (!decode_reading_into(m.payload, r).ok() || r.measurements.size() < 2) continue;  // AQI
      const int s = gen.station_index(r.station.id.get());
      const int64_t tick = (to_unix_ms(r.observed_at) - gen.epoch_ms()) / kCadenceMs;
      const int64_t seq = tick * gen.stations() + s;
      if (s < 0 || seq < 0 || seq >= total || ms[static_cast<size_t>(seq)] >= 0) continue;
      ms[static_cast<size_t>(seq)] =
          static_cast<double>(recv - send_ns[static_cast<size_t>(seq)].load()) / 1e6;
      ++got;
    }
  }
  return ms;
}

// Sends one hour of readings (earlier than the measured ones) and waits until all of them come
// back on curated: group joins, connections and first fetches are then behind us.
Status warm_up(bus::Producer& producer, bus::Consumer& consumer, const config::AppConfig& app) {
  ReadingGenerator gen(app, kLatencyEpochMs - 86'400'000, 3);
  const int64_t total = 12 * gen.stations();
  for (int64_t seq = 0; seq < total; ++seq) {
    if (Status s = send_retrying(producer, gen.next(seq)); !s.ok()) return s;
  }
  if (Status s = producer.flush(Millis(30'000)); !s.ok()) return s;
  int64_t got = 0;
  const auto t0 = SteadyClock::now();
  while (got < total && seconds_since(t0) < 60) {
    auto batch = consumer.poll(1024, Millis(100));
    if (!batch.ok()) return batch.error();
    for (const auto& m : *batch)
      got += m.payload.find("\"temperature\"") != std::string::npos ? 1 : 0;
  }
  std::fprintf(stderr,
               "kafka bench: phase c: warm-up %" PRId64 "/%" PRId64 " readings back in %.2f s\n",
               got, total, seconds_since(t0));
  return got == total ? ok_status()
                      : Error(Errc::internal, "latency warm-up: readings did not come back");
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return -1;
  const auto k = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Per second of offered load: median and max, to tell a steady tail from one stall.
void report_timeline(const std::vector<double>& ms, double rate) {
  const auto per_sec = static_cast<size_t>(rate);
  for (size_t start = 0; per_sec > 0 && start < ms.size(); start += per_sec) {
    std::vector<double> sec;
    for (size_t i = start; i < std::min(ms.size(), start + per_sec); ++i) {
      if (ms[i] >= 0) sec.push_back(ms[i]);
    }
    const double max = sec.empty() ? -1 : *std::max_element(sec.begin(), sec.end());
    std::fprintf(stderr, "kafka bench: phase c: second %zu: p50 %.2f ms max %.2f ms\n",
                 start / per_sec, percentile(sec, 0.5), max);
  }
}

void report(std::vector<double> ms) {
  std::vector<double> kept;
  int64_t lost = 0;
  for (size_t i = 0; i < ms.size(); ++i) {
    if (ms[i] < 0)
      ++lost;
    else
      kept.push_back(ms[i]);
  }
  const double p50 = percentile(kept, 0.50);
  const double p99 = percentile(kept, 0.99);
  const double max = kept.empty() ? -1 : *std::max_element(kept.begin(), kept.end());
  std::fprintf(stderr,
               "kafka bench: phase c: %zu samples, %" PRId64
               " missing, p50 %.2f ms p99 %.2f ms max %.2f ms\n",
               kept.size(), lost, p50, p99, max);
  print_figure("kafka_e2e_p50_ms", p50, "ms");
  print_figure("kafka_e2e_p99_ms", p99, "ms");
}

}  // namespace

Status run_latency(const config::AppConfig& app, const Options& opts) {
  auto bus = open_bus(opts, opts.prefix + "lat.");
  if (!bus.ok()) return bus.error();
  MetricsRegistry registry;
  SystemClock clock;
  processor::StreamProcessor proc(processor_config(app, opts), app, **bus, registry, clock);
  auto consumer = (*bus)->consumer("latency-probe", {bus::Topic::curated});
  auto producer = (*bus)->producer();
  if (!consumer.ok()) return consumer.error();
  if (!producer.ok()) return producer.error();
  if (Status s = proc.start(); !s.ok()) return s;
  if (Status s = warm_up(**producer, **consumer, app); !s.ok()) return s;
  const auto total = static_cast<int64_t>(opts.latency_rate * opts.latency_secs);
  std::vector<std::atomic<int64_t>> send_ns(static_cast<size_t>(total));
  ReadingGenerator gen(app, kLatencyEpochMs, 11);
  std::atomic<bool> failed{false};
  std::thread prod(
      [&] { produce_paced(**producer, gen, total, opts.latency_rate, send_ns, failed); });
  auto ms = consume_latencies(**consumer, gen, total, opts.latency_secs + 30, send_ns);
  prod.join();
  (*consumer)->close();
  proc.stop();
  if (failed.load()) return Error(Errc::internal, "latency producer: send failed");
  report_timeline(ms, opts.latency_rate);
  report(std::move(ms));
  return ok_status();
}

}  // namespace envmon::bench_kafka
