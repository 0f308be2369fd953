#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/result.h"

namespace envmon::bench_kafka {

// Measurements per generated reading (weather + air quality mix): printed as
// kafka_measurements_per_reading so the figures can be compared with the processor bench (13).
inline constexpr int kMeasurementsPerReading = 6;
inline constexpr size_t kStations = 16;
inline constexpr int64_t kCadenceMs = 300'000;  // 5-minute readings, as the default simulator

// The embedded default config (16 stations, source "sim" polling every 5 minutes).
config::AppConfig load_default_config();

// Realistic readings without outliers, stuck runs, gaps or nulls, so envmon's cleaner leaves
// every value untouched and the Spark peer can skip cleaning honestly. Sequence number
// seq = tick * 16 + station index; the reading is fully determined by (seq, rng state).
class ReadingGenerator {
 public:
  ReadingGenerator(const config::AppConfig& app, int64_t epoch_ms, uint32_t seed);
  // The raw message (key = station id, payload = v1 JSON) of sequence number `seq`; call in
  // increasing seq order (the noise stream is sequential).
  bus::Message next(int64_t seq);
  int64_t epoch_ms() const { return epoch_ms_; }
  // Inverse mapping for the latency consumer: station index of an id, -1 if unknown.
  int station_index(std::string_view id) const;

 private:
  const config::AppConfig& app_;
  int64_t epoch_ms_;
  std::mt19937 rng_;
  std::normal_distribution<double> noise_{0.0, 1.0};
};

// Sends `m` through `producer`, retrying back-pressure (bus_full) until it goes through.
Status send_retrying(bus::Producer& producer, bus::Message m);

}  // namespace envmon::bench_kafka
