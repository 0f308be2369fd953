#include "sources/simulator/climate.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sources/simulator/noise.h"

namespace envmon::sources::sim {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHour = 3600.0;
constexpr double kDay = 86400.0;
constexpr double kYearDays = 365.2422;

// Salts so each driver draws from its own independent noise field.
enum Salt : uint64_t {
  kPressure = 11,
  kCloud,
  kRain,
  kRainFast,
  kTemp,
  kHumid,
  kWind,
  kDir,
  kDirFast
};

double clamp01(double v) {
  return std::clamp(v, 0.0, 1.0);
}
double day_of_year(double t) {
  return std::fmod(t / kDay, kYearDays);
}

// +1 at the warmest time of year, -1 at the coldest; southern seasons are inverted.
double seasonal_warmth(double lat, double t) {
  const double north = -std::cos(2.0 * kPi * (day_of_year(t) - 15.0) / kYearDays);
  return lat < 0 ? -north : north;
}

double pressure_anomaly(const StationProfile& p, double t) {
  // Value noise rarely reaches its extremes, so scale up to make amp a typical swing.
  return 1.6 * p.pressure_amp_hpa * fractal_noise(p.key ^ kPressure, t, 4.0 * kDay, 2);
}

// 0..1: how stormy it is. Falling pressure marks an approaching front, low pressure a depression.
double storminess(const StationProfile& p, double t) {
  const double now = pressure_anomaly(p, t);
  const double before = pressure_anomaly(p, t - 6.0 * kHour);
  const double falling = clamp01((before - now) / (0.35 * p.pressure_amp_hpa));
  const double low = clamp01(-now / p.pressure_amp_hpa);
  return clamp01(0.6 * falling + 0.6 * low - 0.1);
}

double monsoon_season(const StationProfile& p, double t) {
  return p.monsoon ? std::max(0.0, seasonal_warmth(p.lat, t)) : 0.0;
}

// Rain intensity index: > 0 means raining. Intermittent showers from fast noise, organised rain
// from fronts, more of it in wet climates and in the monsoon.
double rain_index(const StationProfile& p, double t, double storm) {
  const double field = 0.6 * value_noise(p.key ^ kRain, t, 3.0 * kHour) +
                       0.4 * value_noise(p.key ^ kRainFast, t, 50.0 * 60.0);
  return field + 1.1 * storm + 0.5 * (p.rain_propensity - 0.5) + 0.6 * monsoon_season(p, t) - 0.9;
}

double rain_rate_mm_h(double index) {
  return index > 0 ? std::min(12.0, 8.0 * std::pow(index, 1.5)) : 0.0;
}

double recent_wetness(const StationProfile& p, double t, double rain_now) {
  double sum = std::max(0.0, rain_now);
  for (int h = 1; h <= 3; ++h) {
    const double tt = t - h * kHour;
    sum += std::max(0.0, rain_index(p, tt, storminess(p, tt))) * (1.0 - 0.2 * h);
  }
  return clamp01(sum * 0.8);
}

double diurnal_shape(double solar_h) {
  return std::cos(2.0 * kPi * (solar_h - 15.0) / 24.0);
}

double wrap_degrees(double d) {
  const double w = std::fmod(d, 360.0);
  return w < 0 ? w + 360.0 : w;
}

// Air near saturation approaches 100 % smoothly instead of sitting on the cap.
double saturate_humidity(double rh) {
  if (rh > 90.0) rh = 90.0 + 10.0 * (1.0 - std::exp(-(rh - 90.0) / 10.0));
  return std::clamp(rh, 8.0, 100.0);
}

// Daytime mixing and fronts freshen the wind; fronts veer it.
void set_wind(const StationProfile& p, double t, double storm, Weather& w) {
  w.wind_speed = std::max(0.2, p.wind_mean_ms * (0.75 + 0.5 * std::sqrt(w.sun)) + 5.0 * storm +
                                   1.8 * fractal_noise(p.key ^ kWind, t, 10.0 * kHour, 3));
  w.wind_direction =
      wrap_degrees(p.prevailing_dir_deg + 70.0 * fractal_noise(p.key ^ kDir, t, 2.0 * kDay, 2) +
                   50.0 * storm + 30.0 * value_noise(p.key ^ kDirFast, t, 3.0 * kHour));
}

}  // namespace

double solar_hour(double lon_deg, double t_secs) {
  const double h = std::fmod(t_secs / kHour + lon_deg / 15.0, 24.0);
  return h < 0 ? h + 24.0 : h;
}

double solar_elevation_sine(double lat_deg, double lon_deg, double t_secs) {
  const double decl =
      -23.44 * kPi / 180.0 * std::cos(2.0 * kPi * (day_of_year(t_secs) + 10.0) / kYearDays);
  const double lat = lat_deg * kPi / 180.0;
  const double hour_angle = (solar_hour(lon_deg, t_secs) - 12.0) * 15.0 * kPi / 180.0;
  return std::sin(lat) * std::sin(decl) + std::cos(lat) * std::cos(decl) * std::cos(hour_angle);
}

Weather simulate_weather(const StationProfile& p, int64_t t_secs, int64_t interval_secs) {
  const auto t = static_cast<double>(t_secs);
  Weather w;
  const double warmth = seasonal_warmth(p.lat, t);
  w.winterness = -warmth;
  w.sun = std::max(0.0, solar_elevation_sine(p.lat, p.lon, t));
  w.sun_2h_ago = std::max(0.0, solar_elevation_sine(p.lat, p.lon, t - 2.0 * kHour));
  const double storm = storminess(p, t);

  const double rain = rain_index(p, t, storm);
  const double cloud_base = 0.2 + 0.35 * p.rain_propensity + 0.3 * monsoon_season(p, t);
  double cloud =
      clamp01(cloud_base + 0.6 * storm + 0.35 * fractal_noise(p.key ^ kCloud, t, 8.0 * kHour, 2));
  if (rain > 0) cloud = std::max(cloud, 0.75 + 0.25 * clamp01(rain));
  w.cloud_cover = 100.0 * cloud;
  w.precipitation = rain_rate_mm_h(rain) * static_cast<double>(interval_secs) / kHour;
  w.wetness = recent_wetness(p, t, rain);

  w.pressure = p.pressure_mean_hpa + pressure_anomaly(p, t) +
               0.5 * std::cos(4.0 * kPi * (solar_hour(p.lon, t) - 10.0) / 24.0);

  // Clouds damp the day/night swing; fronts and rain cool.
  const double diurnal =
      p.temp_diurnal_amp_c * (1.0 - 0.55 * cloud) * diurnal_shape(solar_hour(p.lon, t));
  w.temperature = p.temp_mean_c + p.temp_seasonal_amp_c * warmth + diurnal +
                  3.0 * fractal_noise(p.key ^ kTemp, t, 3.0 * kDay, 2) - 3.5 * storm -
                  1.5 * w.wetness;

  // Relative humidity falls as the air warms through the day.
  w.humidity = saturate_humidity(p.humidity_mean - 3.5 * diurnal + 20.0 * storm + 15.0 * w.wetness +
                                 10.0 * monsoon_season(p, t) +
                                 8.0 * fractal_noise(p.key ^ kHumid, t, kDay, 2));
  set_wind(p, t, storm, w);
  const double night = w.sun > 0 ? clamp01(1.0 - 4.0 * w.sun) : 1.0;
  w.stability = night * (1.0 - 0.5 * cloud) * std::clamp(1.0 - w.wind_speed / 6.0, 0.2, 1.0);
  return w;
}

}  // namespace envmon::sources::sim
