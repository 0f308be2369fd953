#include "sources/simulator/simulator_config.h"

#include "core/time.h"

namespace envmon::sources::sim {

const config::Schema<SimulatorConfig>& simulator_schema() {
  static const config::Schema<SimulatorConfig> schema = [] {
    config::Schema<SimulatorConfig> s("sources[].simulator");
    s.integer("seed", &SimulatorConfig::seed, 42, "", 0, 9007199254740991.0,
              "Seed of every simulated value: same seed, same readings")
        .string(
            "start_time", &SimulatorConfig::start_time, std::string(),
            "RFC 3339 instant of the first reading on a fresh start; empty: now - backfill_secs")
        .integer("backfill_secs", &SimulatorConfig::backfill_secs, 21600, "s", 0, 31622400,
                 "History generated on a fresh start so the demo has data at once")
        .integer("resume_rewind_secs", &SimulatorConfig::resume_rewind_secs, 93600, "s", 0, 604800,
                 "On restart, replay from this long before the newest stored reading so cleaning "
                 "windows and open aggregates are rebuilt")
        .integer("max_readings_per_poll", &SimulatorConfig::max_readings_per_poll, 2000, "", 1,
                 1000000, "Cap per poll; a catch-up is spread over several polls");
    return s;
  }();
  return schema;
}

const config::Schema<FaultConfig>& simulator_faults_schema() {
  static const config::Schema<FaultConfig> schema = [] {
    config::Schema<FaultConfig> s("sources[].simulator.faults");
    s.number("noise_level", &FaultConfig::noise_level, 1.0, "", 0, 10,
             "Multiplier on each metric's typical sensor noise (0: exact values)")
        .number("dropout_rate", &FaultConfig::dropout_rate, 0.005, "", 0, 1,
                "Fraction of measurements missing; half of it as whole missing readings")
        .number("stuck_rate", &FaultConfig::stuck_rate, 0.005, "", 0, 1,
                "Fraction of measurements inside a stuck run (value frozen for 1-3 h)")
        .number("spike_rate", &FaultConfig::spike_rate, 0.003, "", 0, 1,
                "Per measurement: sudden x5-x10 jump")
        .number("out_of_bounds_rate", &FaultConfig::out_of_bounds_rate, 0.002, "", 0, 1,
                "Per measurement: physically impossible value (humidity 140, temperature -120)")
        .number("clock_skew_rate", &FaultConfig::clock_skew_rate, 0.002, "", 0, 1,
                "Per reading: observed_at off by 2-60 minutes")
        .number("duplicate_rate", &FaultConfig::duplicate_rate, 0.005, "", 0, 1,
                "Per reading: delivered twice")
        .number("late_rate", &FaultConfig::late_rate, 0.01, "", 0, 1,
                "Per reading: delivered after a delay of up to late_delay_max_secs")
        .integer("late_delay_max_secs", &FaultConfig::late_delay_max_secs, 5400, "s", 0, 86400,
                 "Longest delivery delay of a late reading")
        .number("unit_mix_rate", &FaultConfig::unit_mix_rate, 0.01, "", 0, 1,
                "Per reading: temperature sent in K and/or wind_speed in km/h");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> simulator_schema_docs() {
  return {
      {"sources[].simulator",
       "Built-in simulator: deterministic weather and air quality for the configured stations",
       simulator_schema().specs()},
      {"sources[].simulator.faults",
       "Sensor faults injected into simulated readings to exercise the cleaner",
       simulator_faults_schema().specs()},
  };
}

Result<SimulatorConfig> parse_simulator_config(const config::Node& settings) {
  SimulatorConfig out;
  std::vector<Error> errors;
  if (Status s = config::fill(settings, simulator_schema(), out, {"faults"}); !s.ok()) {
    errors.push_back(s.error());
  }
  if (settings.defined() && settings.is_map()) {
    const config::Node faults = settings.child("faults");
    if (Status s = config::fill(faults, simulator_faults_schema(), out.faults); !s.ok()) {
      errors.push_back(s.error());
    }
    if (!out.start_time.empty()) {
      if (auto t = parse_rfc3339(out.start_time); !t.ok()) {
        errors.push_back(
            settings.child("start_time").error(Errc::config_bad_value, t.error().message()));
      }
    }
  }
  if (errors.empty()) return out;
  std::string message = errors.front().message();
  for (size_t i = 1; i < errors.size(); ++i)
    message += "\n" + errors[i].message();
  return Error(errors.front().code(), message);
}

FaultConfig no_faults() {
  FaultConfig f;
  f.noise_level = 0;
  f.dropout_rate = f.stuck_rate = f.spike_rate = f.out_of_bounds_rate = 0;
  f.clock_skew_rate = f.duplicate_rate = f.late_rate = f.unit_mix_rate = 0;
  return f;
}

}  // namespace envmon::sources::sim
