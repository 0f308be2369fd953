#pragma once

#include <string_view>

namespace envmon::api {

// Display bands of the two AQI scales (docs: aqi-standards.md). Values are rounded to the
// integer index first, as agencies publish them.
struct AqiBand {
  std::string_view category;
  std::string_view color;  // CSS hex colour
};

AqiBand us_aqi_band(double value);     // US EPA: Good .. Hazardous
AqiBand india_aqi_band(double value);  // CPCB: Good .. Severe

}  // namespace envmon::api
