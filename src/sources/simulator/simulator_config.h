#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::sources::sim {

// Sensor faults injected into the simulated readings so the cleaner has something to clean.
// Rates are probabilities per reading (whole-reading faults) or per measurement.
struct FaultConfig {
  double noise_level = 1.0;           // multiplier on each metric's typical sensor noise
  double dropout_rate = 0.005;        // fraction of measurements missing (half as whole readings)
  double stuck_rate = 0.005;          // fraction of measurements inside a stuck run
  double spike_rate = 0.003;          // per measurement: x5-x10 jump (additive for temperature...)
  double out_of_bounds_rate = 0.002;  // per measurement: physically impossible value
  double clock_skew_rate = 0.002;     // per reading: observed_at off by 2-60 minutes
  double duplicate_rate = 0.005;      // per reading: delivered twice
  double late_rate = 0.01;            // per reading: delivered up to late_delay_max_secs late
  int64_t late_delay_max_secs = 5400;
  double unit_mix_rate = 0.01;  // per reading: temperature in K and/or wind_speed in km/h
};

struct SimulatorConfig {
  int64_t seed = 42;
  std::string start_time;  // RFC 3339; empty: clock.now() - backfill_secs
  int64_t backfill_secs = 21600;
  int64_t resume_rewind_secs = 93600;  // 26 h: the AQI needs 24 h of history rebuilt
  int64_t max_readings_per_poll = 2000;
  FaultConfig faults;
};

const config::Schema<SimulatorConfig>& simulator_schema();
const config::Schema<FaultConfig>& simulator_faults_schema();
// Sections "sources[].simulator" and "sources[].simulator.faults" for `envmon config schema`.
std::vector<config::SchemaDoc> simulator_schema_docs();

// Parses the `simulator:` block (undefined node: all defaults). Errors name file, line and key.
Result<SimulatorConfig> parse_simulator_config(const config::Node& settings);

// A config with every fault switched off (tests, plausibility checks).
FaultConfig no_faults();

}  // namespace envmon::sources::sim
