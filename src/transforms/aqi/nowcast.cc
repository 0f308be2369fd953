// EPA PM NowCast: a weighted mean of the last 12 hours whose weights fall off faster when the
// concentration has been changing (w = min/max, floored at 0.5, which approximates a 3-h mean).

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "transforms/aqi/aqi.h"
#include "transforms/aqi/aqi_internal.h"

namespace envmon::transforms::aqi {
namespace {

constexpr size_t kWindowHours = 12;
constexpr double kMinWeight = 0.5;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// EPA's only completeness rule: 2 of the 3 most recent hours must be valid.
bool recent_hours_complete(std::span<const double> hours) {
  int valid = 0;
  for (size_t i = 0; i < std::min<size_t>(3, hours.size()); ++i) {
    if (detail::usable(hours[i])) ++valid;
  }
  return valid >= 2;
}

}  // namespace

double nowcast(std::span<const double> hourly_newest_first, Metric pollutant) {
  if (pollutant != Metric::pm25 && pollutant != Metric::pm10) return kNaN;
  const auto hours = hourly_newest_first.first(std::min(kWindowHours, hourly_newest_first.size()));
  if (!recent_hours_complete(hours)) return kNaN;

  double c_min = std::numeric_limits<double>::infinity();
  double c_max = 0;
  for (double c : hours) {
    if (!detail::usable(c)) continue;
    c_min = std::min(c_min, c);
    c_max = std::max(c_max, c);
  }
  if (c_max <= 0) return 0;  // all valid hours are zero: no rate of change to scale
  // 1 - (max - min) / max, written as min / max.
  const double w = std::max(c_min / c_max, kMinWeight);

  double weighted = 0;
  double weights = 0;
  double w_i = 1;  // w^i for the value measured i hours ago
  for (double c : hours) {
    if (detail::usable(c)) {
      weighted += w_i * c;
      weights += w_i;
    }
    w_i *= w;
  }
  return weighted / weights;
}

}  // namespace envmon::transforms::aqi
