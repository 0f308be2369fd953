// Throughput of the processor core: decode -> validate -> enrich -> clean -> aggregate (+AQI),
// single-threaded over raw messages generated in memory first. Prints JSON lines.
// Usage: envmon_bench_processor [TICKS] [--profile default|kafka]
//   default: the default config's 16 stations, 13 measurements with 17 significant digits.
//   kafka: bench/kafka's data (64 stations, 6 measurements rounded to 2 decimals), so the
//   processor's per-core figure can be compared with `bench/run kafka`.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

#include "config/app_config.h"
#include "kafka/bench_data.h"
#include "model/codec.h"
#include "processor/pipeline.h"

namespace {

using envmon::Metric;

envmon::config::AppConfig load_config() {
  auto node = envmon::config::load_text(envmon::config::embedded_default_config(), "default.yaml");
  envmon::config::KnownTypes known{{"simulator"}, {"memory"}, {"sqlite"}, {"file"}, {"memory"}, {"file"}};
  auto app = envmon::config::parse_app_config(*node, known);
  if (!app.ok()) {
    std::fprintf(stderr, "config: %s\n", app.error().to_string().c_str());
    std::exit(1);
  }
  return *app;
}

// One realistic raw reading: 13 measurements with diurnal cycles and noise.
std::string make_reading(const envmon::config::StationConfig& st, int64_t tick, std::mt19937& rng) {
  std::normal_distribution<double> noise(0.0, 1.0);
  const double hour_angle = static_cast<double>(tick % 288) / 288.0 * 2 * M_PI;
  envmon::Reading r;
  r.source = envmon::SourceId("sim");
  r.station = {envmon::StationId(st.id), st.name, st.lat, st.lon};
  r.observed_at = envmon::from_unix_ms(1'767'225'600'000 + tick * 300'000);
  r.ingested_at = r.observed_at + envmon::Millis(2000);
  auto add = [&](Metric m, double v) { r.measurements.push_back({m, v, std::nan(""), "", 0}); };
  add(Metric::temperature, 20 + 6 * std::sin(hour_angle) + 0.3 * noise(rng));
  add(Metric::humidity, std::clamp(60 - 15 * std::sin(hour_angle) + noise(rng), 0.0, 100.0));
  add(Metric::pressure, 1013 + 0.5 * noise(rng));
  add(Metric::wind_speed, std::abs(4 + noise(rng)));
  add(Metric::wind_direction, std::fmod(180 + 30 * noise(rng) + 360, 360));
  add(Metric::precipitation, 0);
  add(Metric::cloud_cover, std::clamp(40 + 10 * noise(rng), 0.0, 100.0));
  add(Metric::pm25, std::abs(45 + 15 * std::sin(hour_angle) + 3 * noise(rng)));
  add(Metric::pm10, std::abs(80 + 20 * std::sin(hour_angle) + 5 * noise(rng)));
  add(Metric::o3, std::abs(60 + 30 * std::cos(hour_angle) + 4 * noise(rng)));
  add(Metric::no2, std::abs(35 + 4 * noise(rng)));
  add(Metric::so2, std::abs(8 + noise(rng)));
  add(Metric::co, std::abs(600 + 50 * noise(rng)));
  return envmon::encode_reading(r);
}

// CPU time of this thread: "per core" throughput that other load on the machine cannot skew.
double thread_cpu_secs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
}

struct Options {
  int64_t ticks = 4000;
  bool kafka_profile = false;
};

Options parse_options(int argc, char** argv) {
  Options opts;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--profile" && i + 1 < argc) {
      const std::string_view profile = argv[++i];
      if (profile != "default" && profile != "kafka") {
        std::fprintf(stderr, "--profile %s: expected default or kafka\n", argv[i]);
        std::exit(2);
      }
      opts.kafka_profile = profile == "kafka";
    } else if (!arg.empty() && arg[0] != '-') {
      opts.ticks = std::atoll(argv[i]);
    } else {
      std::fprintf(stderr, "usage: envmon_bench_processor [TICKS] [--profile default|kafka]\n");
      std::exit(2);
    }
  }
  return opts;
}

struct RawData {
  envmon::config::AppConfig app;
  std::vector<envmon::bus::Message> raw;
  size_t measurements = 0;
};

RawData make_default_data(int64_t ticks) {
  RawData d{load_config(), {}, 0};
  std::mt19937 rng(7);
  for (int64_t t = 0; t < ticks; ++t) {
    for (size_t s = 0; s < 16 && s < d.app.stations.size(); ++s) {
      envmon::bus::Message m;
      m.key = d.app.stations[s].id;
      m.payload = make_reading(d.app.stations[s], t, rng);
      d.raw.push_back(std::move(m));
      d.measurements += 13;
    }
  }
  return d;
}

// bench/kafka's readings (same generator, epoch and seed as its phase a); `ticks` 5-minute
// steps of 64 stations.
RawData make_kafka_data(int64_t ticks) {
  namespace kb = envmon::bench_kafka;
  RawData d{kb::load_bench_config(kb::kDefaultStations), {}, 0};
  kb::ReadingGenerator gen(d.app, 1'767'225'600'000, 7);
  const int64_t total = ticks * gen.stations();
  d.raw.reserve(static_cast<size_t>(total));
  for (int64_t seq = 0; seq < total; ++seq) d.raw.push_back(gen.next(seq));
  d.measurements = static_cast<size_t>(total) * kb::kMeasurementsPerReading;
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opts = parse_options(argc, argv);
  const RawData data =
      opts.kafka_profile ? make_kafka_data(opts.ticks) : make_default_data(opts.ticks);
  const auto& app = data.app;
  const auto& raw = data.raw;
  const size_t measurements = data.measurements;
  envmon::MetricsRegistry registry;
  envmon::SystemClock clock;
  envmon::ComponentContext ctx("transform", "processor", "bench", registry, clock);
  envmon::processor::ProcessorConfig cfg;
  envmon::processor::Pipeline pipeline(cfg, app, ctx);
  envmon::processor::Output out;
  size_t outputs = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_secs();
  for (size_t i = 0; i < raw.size(); ++i) {
    pipeline.process(raw[i], out);
    if (i % 512 == 511) {
      pipeline.flush_metrics();
      outputs += out.size();
      out.clear();
    }
  }
  pipeline.flush_open(out);
  outputs += out.size();
  const double cpu = thread_cpu_secs() - cpu_start;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double secs = cpu > 0 ? cpu : wall;
  std::printf("{\"name\":\"processor_measurements_per_sec_per_core\",\"value\":%.0f,\"unit\":\"measurements/s\"}\n",
              static_cast<double>(measurements) / secs);
  std::printf("{\"name\":\"processor_readings_per_sec_per_core\",\"value\":%.0f,\"unit\":\"readings/s\"}\n",
              static_cast<double>(raw.size()) / secs);
  std::printf("{\"name\":\"processor_peak_rss_mb\",\"value\":%.1f,\"unit\":\"MB\"}\n", peak_rss_mb());
  std::fprintf(stderr, "readings=%zu outputs=%zu cpu_secs=%.3f wall_secs=%.3f\n", raw.size(), outputs,
               cpu, wall);
  return 0;
}
