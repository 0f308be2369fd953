#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace envmon {

// The metric catalogue: short snake_case ids used in config, messages, the API and tables.
enum class Metric : uint8_t {
  temperature,
  humidity,
  pressure,
  wind_speed,
  wind_direction,
  precipitation,
  cloud_cover,
  pm25,
  pm10,
  o3,
  no2,
  so2,
  co,
  aqi_us,
  aqi_in,
  // Per-pollutant US EPA sub-indices as a provider reports them (WAQI's iaqi values are
  // sub-indices, not concentrations), so they are never mistaken for µg/m³.
  aqi_us_pm25,
  aqi_us_pm10,
  aqi_us_o3,
  aqi_us_no2,
  aqi_us_so2,
  aqi_us_co,
};
inline constexpr size_t kMetricCount = 21;

enum class MetricKind : uint8_t { weather, pollutant, index };

struct MetricInfo {
  Metric metric;
  std::string_view id;           // "pm25"
  std::string_view unit;         // canonical unit symbol, ASCII ("ug/m3", "degC")
  std::string_view unit_display; // for people ("µg/m³", "°C")
  MetricKind kind;
  double min;                    // physical bounds, inclusive, in the canonical unit
  double max;
  double molar_mass_g_mol;       // gases only (ppb <-> µg/m³ at 25 °C, 1 atm); 0 otherwise
  std::string_view description;
};

const std::array<MetricInfo, kMetricCount>& metric_catalogue();
const MetricInfo& metric_info(Metric m);
inline std::string_view metric_id(Metric m) { return metric_info(m).id; }
std::optional<Metric> parse_metric(std::string_view id);
inline size_t metric_index(Metric m) { return static_cast<size_t>(m); }
inline bool in_bounds(Metric m, double v) {
  const auto& i = metric_info(m);
  return v >= i.min && v <= i.max;
}

}  // namespace envmon
