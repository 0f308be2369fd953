#include "api/aqi_category.h"

#include <array>
#include <cmath>

namespace envmon::api {

namespace {

struct Band {
  double upper;  // inclusive upper bound of the band
  AqiBand band;
};

template <size_t N>
AqiBand lookup(const std::array<Band, N>& table, double value) {
  const double v = std::round(value);
  for (const auto& b : table) {
    if (v <= b.upper) return b.band;
  }
  return table.back().band;
}

}  // namespace

AqiBand us_aqi_band(double value) {
  static constexpr std::array<Band, 6> kTable{{
      {50, {"Good", "#00e400"}},
      {100, {"Moderate", "#ffff00"}},
      {150, {"Unhealthy for Sensitive Groups", "#ff7e00"}},
      {200, {"Unhealthy", "#ff0000"}},
      {300, {"Very Unhealthy", "#8f3f97"}},
      {INFINITY, {"Hazardous", "#7e0023"}},
  }};
  return lookup(kTable, value);
}

AqiBand india_aqi_band(double value) {
  // CPCB names colours, not codes: dark green, light green, yellow, orange, red, maroon.
  static constexpr std::array<Band, 6> kTable{{
      {50, {"Good", "#009933"}},
      {100, {"Satisfactory", "#99cc33"}},
      {200, {"Moderately polluted", "#ffff00"}},
      {300, {"Poor", "#ff9900"}},
      {400, {"Very poor", "#ff0000"}},
      {INFINITY, {"Severe", "#990000"}},
  }};
  return lookup(kTable, value);
}

}  // namespace envmon::api
