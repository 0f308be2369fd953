#include "features/weather.h"

#include <array>
#include <cmath>
#include <numbers>

#include "features/raw_frame.h"

namespace envmon::features {
namespace {

constexpr double kMagnusB = 17.625;
constexpr double kMagnusC = 243.04;

double to_f(double c) { return c * 9.0 / 5.0 + 32.0; }
double to_c(double f) { return (f - 32.0) * 5.0 / 9.0; }

}  // namespace

std::string_view raw_name(Raw r) {
  static constexpr std::array<std::string_view, kRawCount> kNames = {
      "pm25",       "temperature",  "dew_point",   "humidity",
      "pressure",   "wind_speed",   "wind_dir_deg", "precipitation"};
  return kNames[static_cast<size_t>(r)];
}

double dew_point_c(double temp_c, double rh_percent) {
  if (!std::isfinite(temp_c) || !std::isfinite(rh_percent) || rh_percent <= 0) return kNaN;
  const double rh = std::min(rh_percent, 100.0);
  const double g = std::log(rh / 100.0) + kMagnusB * temp_c / (kMagnusC + temp_c);
  return kMagnusC * g / (kMagnusB - g);
}

double relative_humidity(double temp_c, double dew_c) {
  if (!std::isfinite(temp_c) || !std::isfinite(dew_c)) return kNaN;
  const double rh = 100.0 * std::exp(kMagnusB * dew_c / (kMagnusC + dew_c) -
                                     kMagnusB * temp_c / (kMagnusC + temp_c));
  return std::min(rh, 100.0);
}

double heat_index_c(double temp_c, double rh) {
  if (!std::isfinite(temp_c) || !std::isfinite(rh)) return kNaN;
  const double t = to_f(temp_c);
  const double simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094);
  if ((simple + t) / 2.0 < 80.0) return to_c(simple);
  double hi = -42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh -
              0.00683783 * t * t - 0.05481717 * rh * rh + 0.00122874 * t * t * rh +
              0.00085282 * t * rh * rh - 0.00000199 * t * t * rh * rh;
  if (rh < 13.0 && t >= 80.0 && t <= 112.0) {
    hi -= (13.0 - rh) / 4.0 * std::sqrt((17.0 - std::abs(t - 95.0)) / 17.0);
  } else if (rh > 85.0 && t >= 80.0 && t <= 87.0) {
    hi += (rh - 85.0) / 10.0 * (87.0 - t) / 5.0;
  }
  return to_c(hi);
}

WindComponents wind_components(double speed, double from_deg) {
  if (!std::isfinite(speed)) return {kNaN, kNaN};
  if (!std::isfinite(from_deg)) {
    return speed < kCalmMps ? WindComponents{0.0, 0.0} : WindComponents{kNaN, kNaN};
  }
  const double rad = from_deg * std::numbers::pi / 180.0;
  // The wind blows *from* the bearing, so the vector points the other way.
  return {-speed * std::sin(rad), -speed * std::cos(rad)};
}

std::optional<double> compass_to_degrees(std::string_view text) {
  static constexpr std::array<std::string_view, 16> kPoints = {
      "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
      "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
  for (size_t i = 0; i < kPoints.size(); ++i) {
    if (text == kPoints[i]) return 22.5 * static_cast<double>(i);
  }
  return std::nullopt;
}

}  // namespace envmon::features
