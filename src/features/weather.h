#pragma once

#include <optional>
#include <string_view>

namespace envmon::features {

// Derived weather quantities. Every function returns NaN when an input is NaN.

// Dew point (°C) from temperature (°C) and relative humidity (%), Magnus formula
// (Alduchov & Eskridge 1996 coefficients).
double dew_point_c(double temp_c, double rh_percent);
// Relative humidity (%) from temperature and dew point (°C), the inverse of dew_point_c.
double relative_humidity(double temp_c, double dew_point_c);
// NWS heat index (°C): Steadman's simple formula, Rothfusz regression with its adjustments
// above 80 °F. Below 80 °F the heat index is the simple formula (close to the temperature).
double heat_index_c(double temp_c, double rh_percent);

struct WindComponents {
  double u;  // m/s towards the east
  double v;  // m/s towards the north
};
// From speed and the meteorological "from" bearing. A missing bearing with speed below
// kCalmMps is calm (0, 0); a missing bearing with wind is unknown (NaN, NaN).
inline constexpr double kCalmMps = 0.5;
WindComponents wind_components(double speed_mps, double from_deg);

// "N", "NNE", ... "NNW" -> 0, 22.5, ... 337.5; the combined directions "NW", "NE", "SE", "SW"
// are covered too; "cv" (calm/variable) and unknown text -> nullopt.
std::optional<double> compass_to_degrees(std::string_view text);

}  // namespace envmon::features
