#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/time.h"
#include "model/metric.h"

// Air-quality indices computed from canonical concentrations (µg/m³ for every pollutant, including
// CO). Reference: /work/shared/docs/aqi-standards.md; the choices made where the standards leave
// room (caps, completeness, truncation of Indian concentrations) are listed in README.md here.
namespace envmon::transforms::aqi {

enum class Standard : uint8_t { us_epa, india_naqi };

// Which US EPA table a concentration is looked up in.
//   nowcast_or_24h: PM2.5/PM10 (24-h or NowCast value) and SO2's 24-h rows (>= 305 ppb only)
//   hour_8: O3 8-h (defines 0-300 only) and CO 8-h
//   hour_1: O3 1-h (defines 101-500 only), NO2 1-h, SO2 1-h (defines 0-200 only)
enum class UsAveraging : uint8_t { nowcast_or_24h, hour_8, hour_1 };

struct IndexResult {
  bool valid = false;  // false -> `reason` says why ("insufficient data: ...")
  double value = 0;    // integer-valued index, 0..500 (US values beyond the AQI are capped at 500)
  Metric dominant = Metric::pm25;  // the pollutant giving the maximum sub-index
  std::string category;            // "Good", "Moderate", ... per standard
  // Empty for a plain valid result; for a valid one it can carry a note such as
  // "beyond the AQI: pm25 above the top breakpoint, capped at 500".
  std::string reason;
};

// Sub-index of one pollutant from an already-averaged concentration in µg/m³, rounded to an
// integer. Gases are converted at 25 °C / 1 atm with metric_info().molar_mass_g_mol, then truncated
// as the TAD requires (O3 ppm 3 decimals, PM2.5 1 decimal, PM10 integer, CO ppm 1 decimal, SO2/NO2
// ppb integer). nullopt: not a US pollutant, averaging without a table for it (e.g. PM with
// hour_1, O3 1-h below 0.125 ppm, SO2 24-h below 305 ppb), or a negative / non-finite value.
// Partial tables give their top: O3 8-h above 0.200 ppm -> 300, SO2 1-h above 304 ppb -> 200 (the
// TAD switches to the other averaging there). Above the top breakpoint ("beyond the AQI") -> 500.
std::optional<double> us_sub_index(Metric pollutant, double concentration_ug_m3,
                                   UsAveraging averaging);

// India NAQI (CPCB 2014) sub-index from a 24-h (PM, NO2, SO2) or 8-h (CO, O3) average in µg/m³.
// Concentrations are truncated to the table's precision (integer µg/m³; CO mg/m³ to 1 decimal) and
// interpolated from each band's listed BP_lo (31 -> 51). Severe is capped (see README) and the
// result clamped at 500. nullopt for other metrics or a negative / non-finite value.
std::optional<double> india_sub_index(Metric pollutant, double concentration_ug_m3);

// EPA PM NowCast (µg/m³) from up to 12 hourly means, newest first; NaN marks a missing hour and
// values past index 11 are ignored. w = max(min/max, 0.5). NaN when at least 2 of the 3 most recent
// hours are missing, or the pollutant is not pm25/pm10 (the O3 NowCast is not implemented).
double nowcast(std::span<const double> hourly_newest_first, Metric pollutant);

// Category names; empty for a negative or NaN index.
std::string_view us_category(double aqi);
std::string_view india_category(double aqi);
// "#00e400" (Good) ... "#7e0023" (Hazardous) from the EPA RGB values; empty like us_category.
std::string_view us_color_hex(double aqi);

namespace detail {
struct SubIndex;  // aqi_internal.h: a sub-index and whether it was capped
}  // namespace detail

// Per-station rolling state fed with hourly mean concentrations (µg/m³). Fixed-size storage: a
// ring of the last kRingHours hours per pollutant, keyed by hour; no allocation after construction.
class StationAqi {
 public:
  static constexpr int kRingHours = 36;
  static constexpr size_t kPollutantCount = 6;  // pm25, pm10, o3, no2, so2, co

  StationAqi();

  // Stores (or revises) the mean of [hour_start, hour_start + 1h); hour_start is floored to the
  // hour. NaN, negative or non-finite means "missing" and clears the hour. Non-pollutant metrics
  // are ignored, and so is an hour older than what its ring slot already holds (more than
  // kRingHours behind the newest hour of that pollutant).
  void set_hour(Metric pollutant, Timestamp hour_start, double mean_ug_m3);

  // Index for the hour [hour_start, hour_start + 1h) from data up to and including that hour.
  // US EPA: PM NowCast (12 h); O3 max(8-h, 1-h); CO 8-h; NO2 1-h; SO2 1-h, 24-h rows at >= 305 ppb.
  // India: 24-h PM10, PM2.5, NO2, SO2 (>= 16 of 24 h); 8-h CO, O3 (>= 6 of 8 h); needs >= 3
  // pollutants including PM2.5 or PM10.
  IndexResult compute(Standard standard, Timestamp hour_start) const;

  // Forgets every hour that starts before floor(t) to the hour.
  void evict_before(Timestamp t);

 private:
  struct Series {
    std::array<int64_t, kRingHours> hour{};  // hours since the epoch held by each slot
    std::array<double, kRingHours> value{};  // NaN = empty slot or missing hour
  };

  double value_at(size_t pollutant, int64_t hour) const;
  // Mean of the `hours` hours ending with `hour`; NaN with fewer than `min_valid` present.
  double mean_of(size_t pollutant, int64_t hour, int hours, int min_valid) const;
  std::optional<detail::SubIndex> us_pollutant(size_t pollutant, int64_t hour) const;
  std::optional<detail::SubIndex> us_o3(int64_t hour) const;
  std::optional<detail::SubIndex> us_so2(int64_t hour) const;
  std::optional<detail::SubIndex> india_pollutant(size_t pollutant, int64_t hour) const;
  IndexResult compute_us(int64_t hour) const;
  IndexResult compute_india(int64_t hour) const;

  std::array<Series, kPollutantCount> series_;
};

}  // namespace envmon::transforms::aqi
