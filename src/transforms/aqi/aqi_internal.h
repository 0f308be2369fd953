#pragma once

// Internals shared by the aqi .cc files and their tests; not part of the module's API.

#include <cmath>
#include <cstddef>
#include <optional>

#include "model/metric.h"
#include "transforms/aqi/aqi.h"

namespace envmon::transforms::aqi::detail {

// A sub-index before it is reduced to the public optional<double>: `capped` records that the
// concentration was above the table's top (US "beyond the AQI", India above the Severe cap).
struct SubIndex {
  double value = 0;
  bool capped = false;
};

std::optional<SubIndex> us_sub_index_detail(Metric pollutant, double concentration_ug_m3,
                                            UsAveraging averaging);
std::optional<SubIndex> india_sub_index_detail(Metric pollutant, double concentration_ug_m3);

// 25 °C, 1 atm molar volume (L/mol): ppb = µg/m³ × 24.45 / M.
inline constexpr double kMolarVolume = 24.45;

// Gas concentration in ppb from µg/m³ using the catalogue's molar mass.
inline double to_ppb(Metric gas, double ug_m3) {
  return ug_m3 * kMolarVolume / metric_info(gas).molar_mass_g_mol;
}

// Truncates (not rounds) to a multiple of 1/per_unit, e.g. per_unit 10 keeps one decimal. The
// epsilon absorbs binary noise so a value converted from exactly 0.055 ppm stays 0.055, not 0.054.
inline double truncate_to(double value, double per_unit) {
  return std::floor(value * per_unit + 1e-6) / per_unit;
}

// Pollutants occupy pm25..co in the Metric enum; the station state indexes them from 0.
inline constexpr size_t kFirstPollutant = static_cast<size_t>(Metric::pm25);
constexpr std::optional<size_t> pollutant_slot(Metric m) {
  const size_t i = static_cast<size_t>(m);
  if (i < kFirstPollutant || i >= kFirstPollutant + StationAqi::kPollutantCount)
    return std::nullopt;
  return i - kFirstPollutant;
}
constexpr Metric pollutant_at(size_t slot) {
  return static_cast<Metric>(kFirstPollutant + slot);
}

inline bool usable(double v) {
  return std::isfinite(v) && v >= 0;
}

}  // namespace envmon::transforms::aqi::detail
