#include "sources/simulator/faults.h"

#include <algorithm>
#include <cmath>

#include "sources/simulator/noise.h"

namespace envmon::sources::sim {
namespace {

enum class Kind : uint64_t {
  reading,
  measurement,
  skew,
  delay,
  duplicate,
  units,
  noise,
  spike,
  bounds,
  stuck
};

constexpr int64_t kStuckWindowSecs = 6 * 3600;
constexpr int64_t kStuckMinSecs = 3600;
constexpr int64_t kStuckMaxSecs = 3 * 3600;
constexpr double kStuckMeanSecs = (kStuckMinSecs + kStuckMaxSecs) / 2.0;

uint64_t fault_hash(uint64_t station_key, Kind kind, uint64_t metric, int64_t tick) {
  return hash_combine(station_key, static_cast<uint64_t>(kind) * 64 + metric,
                      static_cast<uint64_t>(tick));
}
uint64_t reading_hash(uint64_t station_key, Kind kind, int64_t tick) {
  return fault_hash(station_key, kind, 63, tick);
}
uint64_t metric_hash(uint64_t station_key, Kind kind, Metric m, int64_t tick) {
  return fault_hash(station_key, kind, metric_index(m), tick);
}
int64_t uniform_secs(uint64_t h, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(unit_hash(h) * static_cast<double>(hi - lo + 1));
}

// Typical sensor noise (one sigma) at noise_level 1; pollutants are relative.
double noise_sigma(Metric m, double value) {
  switch (m) {
    case Metric::temperature:
      return 0.15;
    case Metric::humidity:
      return 1.0;
    case Metric::pressure:
      return 0.2;
    case Metric::wind_speed:
      return 0.25;
    case Metric::wind_direction:
      return 4.0;
    case Metric::precipitation:
      return 0.02 * value;
    case Metric::cloud_cover:
      return 3.0;
    default:
      return 0.05 * value;
  }
}

}  // namespace

ReadingFaults decide_reading_faults(const FaultConfig& f, uint64_t station_key, int64_t tick) {
  ReadingFaults out;
  const double u = unit_hash(reading_hash(station_key, Kind::reading, tick));
  out.dropped = u < f.dropout_rate / 2.0;
  const uint64_t skew = reading_hash(station_key, Kind::skew, tick);
  if (unit_hash(skew) < f.clock_skew_rate) {
    const int64_t secs = uniform_secs(mix64(skew), 120, 3600);
    out.skew_secs = (mix64(skew + 1) & 1U) != 0 ? secs : -secs;
  }
  const uint64_t delay = reading_hash(station_key, Kind::delay, tick);
  if (f.late_delay_max_secs > 0 && unit_hash(delay) < f.late_rate) {
    out.delay_secs = uniform_secs(mix64(delay), std::min<int64_t>(60, f.late_delay_max_secs),
                                  f.late_delay_max_secs);
  }
  const uint64_t dup = reading_hash(station_key, Kind::duplicate, tick);
  if (unit_hash(dup) < f.duplicate_rate) {
    out.duplicate = true;
    out.duplicate_gap_secs = uniform_secs(mix64(dup), 1, 90);
  }
  const uint64_t units = reading_hash(station_key, Kind::units, tick);
  if (unit_hash(units) < f.unit_mix_rate) {
    const uint64_t which = mix64(units) % 3;  // kelvin, km/h, or both
    out.temperature_in_kelvin = which != 1;
    out.wind_in_kmh = which != 0;
  }
  return out;
}

MeasurementFault decide_measurement_fault(const FaultConfig& f, uint64_t station_key, Metric m,
                                          int64_t tick) {
  // One draw partitioned between the kinds keeps them exclusive and their rates exact.
  const double u = unit_hash(metric_hash(station_key, Kind::measurement, m, tick));
  double edge = f.dropout_rate / 2.0;
  if (u < edge) return MeasurementFault::dropout;
  edge += f.spike_rate;
  if (u < edge) return MeasurementFault::spike;
  edge += f.out_of_bounds_rate;
  if (u < edge) return MeasurementFault::out_of_bounds;
  return MeasurementFault::none;
}

std::optional<int64_t> stuck_source_tick(const FaultConfig& f, uint64_t station_key, Metric m,
                                         int64_t tick, int64_t interval_secs) {
  if (f.stuck_rate <= 0) return std::nullopt;
  const int64_t window = tick >= 0 ? tick / kStuckWindowSecs : (tick + 1) / kStuckWindowSecs - 1;
  const uint64_t h = metric_hash(station_key, Kind::stuck, m, window);
  const double p =
      std::min(1.0, f.stuck_rate * static_cast<double>(kStuckWindowSecs) / kStuckMeanSecs);
  if (unit_hash(h) >= p) return std::nullopt;
  const int64_t length = uniform_secs(mix64(h), kStuckMinSecs, kStuckMaxSecs);
  const int64_t offset = uniform_secs(mix64(h + 1), 0, kStuckWindowSecs - length);
  const int64_t begin = window * kStuckWindowSecs + offset;
  // The run's first tick reports its true value; the following ticks repeat it.
  const int64_t first = (begin + interval_secs - 1) / interval_secs * interval_secs;
  if (tick <= first || tick >= begin + length) return std::nullopt;
  return first;
}

double add_sensor_noise(const FaultConfig& f, uint64_t station_key, Metric m, int64_t tick,
                        double value) {
  if (f.noise_level <= 0) return value;
  const double g = gaussian_hash(metric_hash(station_key, Kind::noise, m, tick));
  const double noisy = value + f.noise_level * noise_sigma(m, value) * g;
  if (m == Metric::wind_direction) return std::fmod(noisy + 360.0, 360.0);
  const auto& info = metric_info(m);
  return std::clamp(noisy, info.min, info.max);
}

double spike_value(uint64_t station_key, Metric m, int64_t tick, double value) {
  const uint64_t h = metric_hash(station_key, Kind::spike, m, tick);
  const bool up = (mix64(h) & 1U) != 0;
  double out = value;
  switch (m) {
    case Metric::temperature:
      out = value + (up ? 1 : -1) * uniform_hash(h, 12, 25);
      break;
    case Metric::humidity:
      out = value > 50 ? value - uniform_hash(h, 35, 45) : value + uniform_hash(h, 35, 45);
      break;
    case Metric::pressure:
      out = value + (up ? 1 : -1) * uniform_hash(h, 25, 45);
      break;
    case Metric::wind_direction:
      out = std::fmod(value + uniform_hash(h, 90, 180), 360.0);
      break;
    case Metric::cloud_cover:
      out = value > 50 ? value - uniform_hash(h, 50, 60) : value + uniform_hash(h, 50, 60);
      break;
    case Metric::precipitation:
      out = value > 0.5 ? value * uniform_hash(h, 5, 10) : uniform_hash(h, 20, 60);
      break;
    default:
      out = std::max(value, 1.0) * uniform_hash(h, 5, 10);
      break;
  }
  const auto& info = metric_info(m);
  return std::clamp(out, info.min, info.max);
}

double out_of_bounds_value(uint64_t station_key, Metric m, int64_t tick) {
  const uint64_t h = metric_hash(station_key, Kind::bounds, m, tick);
  const auto& info = metric_info(m);
  const double span = info.max - info.min;
  if ((mix64(h) & 1U) != 0) return info.min - std::max(1.0, 0.05 * span) * uniform_hash(h, 1, 2);
  return info.max + 0.4 * span * uniform_hash(h, 0.2, 1.0);
}

}  // namespace envmon::sources::sim
