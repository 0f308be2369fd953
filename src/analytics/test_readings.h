#pragma once
// Curated readings for the analytics tests: a daily cycle every 5 minutes with deterministic
// noise, and helpers to inject what the simulator's faults look like after the cleaner.

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "model/reading.h"

namespace envmon::analytics::testing {

inline Reading curated(const std::string& station, Timestamp t, double pm25, double temperature) {
  Reading r;
  r.source = SourceId("sim");
  r.station.id = StationId(station);
  r.station.name = station;
  r.observed_at = t;
  r.ingested_at = t;
  r.measurements.push_back(Measurement{Metric::pm25, pm25, std::nan(""), "", 0});
  r.measurements.push_back(Measurement{Metric::temperature, temperature, std::nan(""), "", 0});
  r.enrichment = Enrichment{"test", "UTC", 0, ""};
  return r;
}

// `days` days at 5-minute steps from 2026-01-01T00:00Z; pm25 peaks at 08:00.
inline std::vector<Reading> daily_readings(const std::string& station, int days, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 1.0);
  std::vector<Reading> out;
  const Timestamp start = from_unix_ms(1767225600000);
  for (int i = 0; i < days * 288; ++i) {
    const double hour = (i % 288) / 12.0;
    const double pm = 60 + 30 * std::cos((hour - 8) / 24 * 2 * M_PI) + 2 * noise(rng);
    const double temp = 20 + 5 * std::cos((hour - 15) / 24 * 2 * M_PI) + 0.3 * noise(rng);
    out.push_back(curated(station, start + Millis(int64_t{i} * 300000), pm, temp));
  }
  return out;
}

// What the cleaner makes of a spike: the value masked, the raw kept, the flag set.
inline void mask_as_spike(Measurement& m, double raw) {
  m.raw = raw;
  m.value = std::nan("");
  set_flag(m.flags, Flag::spike);
}

}  // namespace envmon::analytics::testing
