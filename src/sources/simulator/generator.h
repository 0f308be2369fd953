#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <absl/time/time.h>

#include "model/reading.h"
#include "sources/simulator/simulator_config.h"
#include "sources/simulator/station_profile.h"

namespace envmon::sources::sim {

// The metrics the simulator emits, in catalogue order (never aqi_*: the processor computes AQI).
inline constexpr std::array<Metric, 13> kSimulatedMetrics{Metric::temperature,
                                                          Metric::humidity,
                                                          Metric::pressure,
                                                          Metric::wind_speed,
                                                          Metric::wind_direction,
                                                          Metric::precipitation,
                                                          Metric::cloud_cover,
                                                          Metric::pm25,
                                                          Metric::pm10,
                                                          Metric::o3,
                                                          Metric::no2,
                                                          Metric::so2,
                                                          Metric::co};

// A station ready to simulate: models' profile, the identity stamped on readings, its zone.
struct SimStation {
  StationProfile profile;
  StationRef ref;
  absl::TimeZone zone;
};

// Clean values (no faults, no noise) at one tick, indexed by metric_index().
using MetricValues = std::array<double, kMetricCount>;
MetricValues simulate_clean(const SimStation& s, int64_t tick_secs, int64_t interval_secs);

// One copy of one reading and when it reaches the source's output.
struct Delivery {
  Timestamp at;  // delivery time, also the reading's ingested_at
  int64_t tick_secs = 0;
  size_t station_index = 0;
  int copy = 0;  // 1 for the second copy of a duplicate
  Reading reading;
};
// Total order of deliveries, identical however polls are spaced.
bool delivered_before(const Delivery& a, const Delivery& b);

struct TickContext {
  const SourceId* source;
  const FaultConfig* faults;
  int64_t interval_secs;
};

// Appends the 0, 1 or 2 deliveries of one station at one tick. A pure function of
// (seed, station, tick): replaying a tick always yields the same bytes.
void generate_tick(const SimStation& s, size_t station_index, const TickContext& ctx,
                   int64_t tick_secs, std::vector<Delivery>& out);

}  // namespace envmon::sources::sim
