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
inline constexpr int64_t kCadenceMs = 300'000;  // 5-minute readings, as the default simulator
inline constexpr int64_t kDefaultStations = 64;

// The embedded default config (source "sim" polling every 5 minutes) with `stations` stations:
// its 16, then copies of them ("delhi-2", ..., same place, time zone and region) up to the
// count, which must be a multiple of 16. The product watches many places; 64 also spreads the
// stations evenly over 2 partitions (FNV-1a puts 12 of the 16 on partition 1).
config::AppConfig load_bench_config(int64_t stations);
// The station list in configs/default.yaml's format, for the Spark peer's validation.
Status write_stations_yaml(const config::AppConfig& app, const std::string& path);

// Realistic readings without outliers, stuck runs, gaps or nulls, so envmon's cleaner leaves
// every value untouched and the Spark peer can skip cleaning honestly. Values carry a sensor's
// precision (2 decimals), not 17 significant digits. Sequence number seq = tick * stations +
// station index; the reading is fully determined by (seq, rng state).
class ReadingGenerator {
 public:
  // `full_precision`: values as computed (17 significant digits), the data before 8c15711.
  ReadingGenerator(const config::AppConfig& app, int64_t epoch_ms, uint32_t seed,
                   bool full_precision = false);
  // The raw message (key = station id, payload = v1 JSON) of sequence number `seq`; call in
  // increasing seq order (the noise stream is sequential).
  bus::Message next(int64_t seq);
  int64_t epoch_ms() const { return epoch_ms_; }
  // Inverse mapping for the latency consumer: station index of an id, -1 if unknown.
  int station_index(std::string_view id) const;
  int64_t stations() const { return static_cast<int64_t>(app_.stations.size()); }

 private:
  const config::AppConfig& app_;
  int64_t epoch_ms_;
  std::mt19937 rng_;
  std::normal_distribution<double> noise_{0.0, 1.0};
  bool full_precision_ = false;
};

// Sends `m` through `producer`, retrying back-pressure (bus_full) until it goes through.
Status send_retrying(bus::Producer& producer, bus::Message m);

}  // namespace envmon::bench_kafka
