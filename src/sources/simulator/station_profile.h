#pragma once

#include <cstdint>
#include <string>

#include "config/app_config.h"

namespace envmon::sources::sim {

// Everything the models need to know about one station, fixed for the life of the source:
// its climate and pollution baselines, from a built-in table for the default stations and from
// latitude plus hashed per-station variation for any other id.
struct StationProfile {
  std::string id;
  uint64_t key = 0;  // hash of (seed, id): the root of every random choice for this station
  double lat = 0;
  double lon = 0;
  // Climate.
  double temp_mean_c = 15;         // annual mean
  double temp_seasonal_amp_c = 8;  // half the difference between warmest and coldest month
  double temp_diurnal_amp_c = 4;   // half the clear-sky day/night difference
  double humidity_mean = 65;       // %
  double pressure_mean_hpa = 1013;
  double pressure_amp_hpa = 8;  // swing of passing pressure systems
  double wind_mean_ms = 3.5;
  double prevailing_dir_deg = 240;
  double rain_propensity = 0.5;  // 0 desert .. 1 very wet
  bool monsoon = false;          // rain concentrated in the local summer
  // Pollution: annual means in ug/m3.
  double pm25 = 12;
  double pm10_ratio = 1.7;
  double no2 = 25;
  double so2 = 4;
  double co = 400;
  double o3 = 50;
  double pm_winter_amp = 0.25;  // PM seasonal factor is 1 + amp * winterness (-1..1)
};

StationProfile make_station_profile(const config::StationConfig& station, uint64_t seed);

}  // namespace envmon::sources::sim
