#include "sources/simulator/station_profile.h"

#include <array>
#include <cmath>
#include <optional>
#include <string_view>

#include "sources/simulator/noise.h"

namespace envmon::sources::sim {
namespace {

// Climate normals and typical pollution of the stations in configs/default.yaml (rounded from
// public climate normals and WHO / national monitoring summaries). Not data: plausible shapes.
struct KnownCity {
  std::string_view id;
  double temp_mean, temp_amp, humidity, rain;
  bool monsoon;
  double pm25, pm10_ratio, no2, so2, co, o3, pm_winter_amp;
};
constexpr std::array<KnownCity, 16> kCities{{
    {"delhi", 25.0, 9.5, 55, 0.3, true, 110, 2.0, 60, 15, 1800, 45, 0.65},
    {"mumbai", 27.5, 2.5, 72, 0.6, true, 45, 2.1, 40, 12, 1200, 35, 0.5},
    {"bengaluru", 24.0, 2.5, 62, 0.5, true, 35, 2.0, 35, 8, 1000, 30, 0.35},
    {"beijing", 13.0, 15.0, 50, 0.35, false, 45, 1.7, 40, 8, 900, 60, 0.45},
    {"tokyo", 16.5, 10.5, 65, 0.6, false, 12, 1.6, 30, 3, 400, 55, 0.15},
    {"singapore", 27.5, 1.0, 82, 0.8, false, 16, 1.5, 25, 8, 500, 40, 0.05},
    {"london", 11.5, 6.5, 76, 0.6, false, 11, 1.6, 35, 3, 300, 45, 0.25},
    {"berlin", 10.0, 9.5, 73, 0.5, false, 13, 1.6, 28, 3, 300, 50, 0.3},
    {"cairo", 22.5, 7.5, 55, 0.05, false, 70, 2.6, 60, 20, 1500, 60, 0.2},
    {"lagos", 27.0, 1.5, 80, 0.7, true, 60, 2.2, 35, 10, 1500, 40, 0.4},
    {"new-york", 13.0, 12.0, 64, 0.55, false, 9, 1.7, 30, 3, 350, 55, 0.15},
    {"los-angeles", 18.5, 4.5, 65, 0.15, false, 13, 1.8, 38, 3, 500, 75, 0.1},
    {"mexico-city", 17.0, 3.0, 55, 0.45, true, 22, 2.0, 45, 10, 900, 80, 0.25},
    {"sao-paulo", 20.0, 3.5, 78, 0.6, false, 17, 1.9, 38, 5, 700, 55, 0.2},
    {"sydney", 18.5, 4.5, 68, 0.5, false, 8, 1.8, 18, 2, 250, 45, 0.1},
    {"reykjavik", 5.0, 5.5, 78, 0.6, false, 4, 2.0, 12, 2, 200, 55, 0.1},
}};

std::optional<KnownCity> find_city(std::string_view id) {
  for (const auto& c : kCities) {
    if (c.id == id) return c;
  }
  return std::nullopt;
}

// An unknown station: climate from latitude, pollution from hashes (a mid-sized town).
void fill_from_latitude(StationProfile& p) {
  const double alat = std::abs(p.lat);
  auto h = [&](uint64_t salt) { return unit_hash(hash_combine(p.key, salt)); };
  p.temp_mean_c = 27.0 - 0.006 * alat * alat + (h(1) - 0.5) * 4.0;
  p.temp_seasonal_amp_c = (1.0 + 0.25 * std::min(alat, 45.0)) * (0.75 + 0.5 * h(2));
  p.humidity_mean = 50 + 30 * h(3);
  p.rain_propensity = 0.2 + 0.6 * h(4);
  p.monsoon = alat > 5 && alat < 25 && h(5) < 0.5;
  p.pm25 = 6 + 40 * h(6) * h(6);
  p.pm10_ratio = 1.5 + 0.7 * h(7);
  p.no2 = 10 + 40 * h(8);
  p.so2 = 2 + 10 * h(9);
  p.co = 200 + 900 * h(10);
  p.o3 = 35 + 35 * h(11);
  p.pm_winter_amp = alat < 15 ? 0.1 : 0.15 + 0.3 * h(12);
}

}  // namespace

StationProfile make_station_profile(const config::StationConfig& station, uint64_t seed) {
  StationProfile p;
  p.id = station.id;
  p.key = hash_combine(mix64(seed), hash_string(station.id));
  p.lat = station.lat;
  p.lon = station.lon;
  if (const auto city = find_city(station.id)) {
    p.temp_mean_c = city->temp_mean;
    p.temp_seasonal_amp_c = city->temp_amp;
    p.humidity_mean = city->humidity;
    p.rain_propensity = city->rain;
    p.monsoon = city->monsoon;
    p.pm25 = city->pm25;
    p.pm10_ratio = city->pm10_ratio;
    p.no2 = city->no2;
    p.so2 = city->so2;
    p.co = city->co;
    p.o3 = city->o3;
    p.pm_winter_amp = city->pm_winter_amp;
  } else {
    fill_from_latitude(p);
  }
  auto h = [&](uint64_t salt) { return unit_hash(hash_combine(p.key, 100 + salt)); };
  const double alat = std::abs(p.lat);
  // Dry air swings more between day and night than humid air.
  p.temp_diurnal_amp_c = (2.5 + 7.0 * (1.0 - p.humidity_mean / 100.0)) * (0.85 + 0.3 * h(1));
  p.pressure_mean_hpa = 1013.0 + (h(2) - 0.5) * 6.0;
  // Mid-latitude storm tracks swing pressure far more than the tropics do.
  p.pressure_amp_hpa = 2.5 + 0.22 * std::min(alat, 60.0);
  p.wind_mean_ms = 2.0 + 2.5 * h(3) + 0.03 * alat;
  p.prevailing_dir_deg = 360.0 * h(4);
  return p;
}

}  // namespace envmon::sources::sim
