#pragma once

#include <cstdint>
#include <optional>

#include "model/metric.h"
#include "sources/simulator/simulator_config.h"

namespace envmon::sources::sim {

// Fault decisions. Each is a hash of (station key, metric, tick, fault kind), never a stateful
// draw, so a replay after a restart injects exactly the same faults into the same readings.

struct ReadingFaults {
  bool dropped = false;            // the whole reading never arrives
  int64_t skew_secs = 0;           // observed_at = tick + skew
  int64_t delay_secs = 0;          // delivery = tick + delay
  bool duplicate = false;          // delivered a second time...
  int64_t duplicate_gap_secs = 0;  // ...this long after the first copy
  bool temperature_in_kelvin = false;
  bool wind_in_kmh = false;
};
ReadingFaults decide_reading_faults(const FaultConfig& f, uint64_t station_key, int64_t tick);

enum class MeasurementFault { none, dropout, spike, out_of_bounds };
MeasurementFault decide_measurement_fault(const FaultConfig& f, uint64_t station_key, Metric m,
                                          int64_t tick);

// If `tick` lies inside a stuck run of this series, the tick whose value is repeated (the run's
// first tick). Runs live in fixed 6 h windows; a window holds a 1-3 h run with a probability
// chosen so that about `stuck_rate` of all measurements are stuck.
std::optional<int64_t> stuck_source_tick(const FaultConfig& f, uint64_t station_key, Metric m,
                                         int64_t tick, int64_t interval_secs);

// Adds gaussian sensor noise (scaled by noise_level) and keeps the value physically possible.
double add_sensor_noise(const FaultConfig& f, uint64_t station_key, Metric m, int64_t tick,
                        double value);
// A sudden jump the cleaner's spike stage should catch (x5-x10, or a large additive jump).
double spike_value(uint64_t station_key, Metric m, int64_t tick, double value);
// A physically impossible value (below min or far above max).
double out_of_bounds_value(uint64_t station_key, Metric m, int64_t tick);

}  // namespace envmon::sources::sim
