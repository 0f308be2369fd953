#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "model/metric.h"

namespace envmon {

// Converts a value in `unit` to the metric's canonical unit. An empty unit means canonical.
// Accepted units per metric (aliases in parentheses):
//   temperature: degC (C, celsius), K (kelvin), degF (F, fahrenheit)
//   humidity, cloud_cover: % (percent), fraction (0..1)
//   pressure: hPa (mbar), Pa, kPa, inHg, mmHg
//   wind_speed: m/s, km/h (kmh), mph, kn (knots)
//   wind_direction: deg; precipitation: mm, in, cm
//   pm25, pm10: ug/m3 (µg/m³), mg/m3
//   o3, no2, so2, co: ug/m3, mg/m3, ppb, ppm (at 25 °C and 1 atm)
//   aqi_us, aqi_in: aqi
// A unit that does not fit the metric is an error naming the metric and the accepted units.
Result<double> to_canonical(Metric metric, std::string_view unit, double value);

// The accepted units of a metric, comma separated (for error messages and the schema).
std::string accepted_units(Metric metric);

}  // namespace envmon
