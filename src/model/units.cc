#include "model/units.h"

#include <array>

namespace envmon {
namespace {

enum class Dim { temperature, fraction, pressure, speed, angle, length, mass_conc, index };

struct UnitDef {
  std::string_view name;
  Dim dim;
  double scale;   // canonical = value * scale + offset (gases: see ppb/ppm below)
  double offset;
};

// Molar-volume constant at 25 °C and 1 atm: ppb = µg/m³ × 24.45 / M.
constexpr double kMolarVolume = 24.45;

constexpr std::array<UnitDef, 31> kUnits{{
    {"degC", Dim::temperature, 1.0, 0.0},      {"C", Dim::temperature, 1.0, 0.0},
    {"celsius", Dim::temperature, 1.0, 0.0},   {"K", Dim::temperature, 1.0, -273.15},
    {"kelvin", Dim::temperature, 1.0, -273.15},{"degF", Dim::temperature, 5.0 / 9.0, -160.0 / 9.0},
    {"F", Dim::temperature, 5.0 / 9.0, -160.0 / 9.0},
    {"fahrenheit", Dim::temperature, 5.0 / 9.0, -160.0 / 9.0},
    {"%", Dim::fraction, 1.0, 0.0},            {"percent", Dim::fraction, 1.0, 0.0},
    {"fraction", Dim::fraction, 100.0, 0.0},   {"hPa", Dim::pressure, 1.0, 0.0},
    {"mbar", Dim::pressure, 1.0, 0.0},         {"Pa", Dim::pressure, 0.01, 0.0},
    {"kPa", Dim::pressure, 10.0, 0.0},         {"inHg", Dim::pressure, 33.8638866667, 0.0},
    {"mmHg", Dim::pressure, 1.33322387415, 0.0},{"m/s", Dim::speed, 1.0, 0.0},
    {"km/h", Dim::speed, 1.0 / 3.6, 0.0},      {"kmh", Dim::speed, 1.0 / 3.6, 0.0},
    {"mph", Dim::speed, 0.44704, 0.0},         {"kn", Dim::speed, 0.514444444, 0.0},
    {"knots", Dim::speed, 0.514444444, 0.0},   {"deg", Dim::angle, 1.0, 0.0},
    {"mm", Dim::length, 1.0, 0.0},             {"cm", Dim::length, 10.0, 0.0},
    {"in", Dim::length, 25.4, 0.0},            {"ug/m3", Dim::mass_conc, 1.0, 0.0},
    {"µg/m³", Dim::mass_conc, 1.0, 0.0},       {"mg/m3", Dim::mass_conc, 1000.0, 0.0},
    {"aqi", Dim::index, 1.0, 0.0},
}};

Dim metric_dim(Metric m) {
  switch (m) {
    case Metric::temperature: return Dim::temperature;
    case Metric::humidity:
    case Metric::cloud_cover: return Dim::fraction;
    case Metric::pressure: return Dim::pressure;
    case Metric::wind_speed: return Dim::speed;
    case Metric::wind_direction: return Dim::angle;
    case Metric::precipitation: return Dim::length;
    case Metric::pm25:
    case Metric::pm10:
    case Metric::o3:
    case Metric::no2:
    case Metric::so2:
    case Metric::co: return Dim::mass_conc;
    default: return Dim::index;  // aqi_us, aqi_in and the provider-reported sub-indices
  }
}

Error unit_error(Metric metric, std::string_view unit) {
  return Error(Errc::decode_unit, "unit '" + std::string(unit) + "' does not fit metric '" +
                                      std::string(metric_id(metric)) +
                                      "'; accepted: " + accepted_units(metric));
}

}  // namespace

Result<double> to_canonical(Metric metric, std::string_view unit, double value) {
  const MetricInfo& info = metric_info(metric);
  if (unit.empty() || unit == info.unit) return value;
  const double molar = info.molar_mass_g_mol;
  if (molar > 0 && (unit == "ppb" || unit == "ppm")) {
    const double ppb = unit == "ppm" ? value * 1000.0 : value;
    return ppb * molar / kMolarVolume;
  }
  const Dim want = metric_dim(metric);
  for (const auto& u : kUnits) {
    if (u.name == unit) {
      if (u.dim != want) return unit_error(metric, unit);
      return value * u.scale + u.offset;
    }
  }
  return unit_error(metric, unit);
}

std::string accepted_units(Metric metric) {
  const Dim want = metric_dim(metric);
  std::string out;
  for (const auto& u : kUnits) {
    if (u.dim != want) continue;
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  if (metric_info(metric).molar_mass_g_mol > 0) out += ", ppb, ppm";
  return out;
}

}  // namespace envmon
