#include "bench_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numbers>

#include "model/codec.h"

namespace envmon::bench_kafka {

config::AppConfig load_bench_config(int64_t stations) {
  auto node = config::load_text(config::embedded_default_config(), "default.yaml");
  if (!node.ok()) {
    std::fprintf(stderr, "config: %s\n", node.error().to_string().c_str());
    std::exit(1);
  }
  config::KnownTypes known{{"simulator"}, {"memory"}, {"sqlite"}, {"file"}, {"memory"}, {"file"}};
  auto app = config::parse_app_config(*node, known);
  if (!app.ok()) {
    std::fprintf(stderr, "config: %s\n", app.error().to_string().c_str());
    std::exit(1);
  }
  const auto base = app->stations;
  if (stations <= 0 || stations % static_cast<int64_t>(base.size()) != 0) {
    std::fprintf(stderr, "--stations %lld: must be a multiple of %zu\n",
                 static_cast<long long>(stations), base.size());
    std::exit(2);
  }
  for (int64_t copy = 2; copy <= stations / static_cast<int64_t>(base.size()); ++copy) {
    for (auto st : base) {
      st.id += "-" + std::to_string(copy);
      st.name += " #" + std::to_string(copy);
      app->stations.push_back(std::move(st));
    }
  }
  return *app;
}

Status write_stations_yaml(const config::AppConfig& app, const std::string& path) {
  std::ofstream out(path);
  out << "# envmon_bench_kafka's stations (configs/default.yaml's, copied)\nstations:\n";
  for (const auto& st : app.stations)
    out << "  - {id: " << st.id << "}\n";
  out << "\n";
  return out ? ok_status() : Error(Errc::io, "cannot write " + path);
}

ReadingGenerator::ReadingGenerator(const config::AppConfig& app, int64_t epoch_ms, uint32_t seed,
                                   bool full_precision)
    : app_(app), epoch_ms_(epoch_ms), rng_(seed), full_precision_(full_precision) {}

// Diurnal cycles plus small noise: every jump stays far below the cleaner's minimum deltas
// (temperature 3 degC, pm25 25 ug/m3, ...) and continuous values never repeat exactly.
bus::Message ReadingGenerator::next(int64_t seq) {
  const int64_t tick = seq / stations();
  const auto s = static_cast<size_t>(seq % stations());
  const auto& st = app_.stations[s];
  const double day = static_cast<double>(tick % 288) / 288.0 * 2 * std::numbers::pi;
  const double base = static_cast<double>(s % 16);  // the copies of a station read alike
  Reading r;
  r.source = SourceId("sim");
  r.station = {StationId(st.id), st.name, st.lat, st.lon};
  r.observed_at = from_unix_ms(epoch_ms_ + tick * kCadenceMs);
  r.ingested_at = r.observed_at + Millis(2000);
  r.measurements.reserve(kMeasurementsPerReading);
  auto add = [&](Metric m, double v) {
    if (!full_precision_) v = std::round(v * 100) / 100;
    r.measurements.push_back({m, v, std::nan(""), "", 0});
  };
  add(Metric::temperature, 12 + base + 6 * std::sin(day) + 0.3 * noise_(rng_));
  add(Metric::humidity, std::clamp(60 - 15 * std::sin(day) + noise_(rng_), 1.0, 99.0));
  add(Metric::pressure, 1005 + base + 0.5 * noise_(rng_));
  add(Metric::wind_speed, std::abs(4 + noise_(rng_)));
  add(Metric::pm25, std::abs(30 + 4 * base + 15 * std::sin(day) + 3 * noise_(rng_)));
  add(Metric::pm10, std::abs(60 + 6 * base + 20 * std::sin(day) + 5 * noise_(rng_)));
  bus::Message m;
  m.topic = bus::Topic::raw;
  m.key = st.id;
  m.payload = encode_reading(r);
  return m;
}

int ReadingGenerator::station_index(std::string_view id) const {
  for (size_t i = 0; i < app_.stations.size(); ++i) {
    if (app_.stations[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

Status send_retrying(bus::Producer& producer, bus::Message m) {
  for (;;) {
    Status s = producer.send(m, Millis(1000));
    if (s.ok() || !s.error().retryable()) return s;
  }
}

}  // namespace envmon::bench_kafka
