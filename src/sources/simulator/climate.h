#pragma once

#include <cstdint>

#include "sources/simulator/station_profile.h"

namespace envmon::sources::sim {

// The clean (fault-free) weather at one station and instant, plus the intermediate drivers the
// pollution model needs. A pure function of (profile, time): no state is carried between ticks.
struct Weather {
  double temperature = 0;     // degC
  double humidity = 0;        // %
  double pressure = 0;        // hPa
  double wind_speed = 0;      // m/s
  double wind_direction = 0;  // deg
  double precipitation = 0;   // mm over the interval ending at the tick
  double cloud_cover = 0;     // %
  double sun = 0;             // sine of the solar elevation, 0 at night
  double sun_2h_ago = 0;      // ozone builds up with a lag behind the sun
  double winterness = 0;      // +1 mid-winter .. -1 mid-summer, for this hemisphere
  double wetness = 0;         // 0..1: rain over the last hours (wash-out)
  double stability = 0;       // 0..1: calm clear night, stable boundary layer (inversions)
};

Weather simulate_weather(const StationProfile& p, int64_t t_secs, int64_t interval_secs);

// Sine of the solar elevation (negative below the horizon).
double solar_elevation_sine(double lat_deg, double lon_deg, double t_secs);
// Local solar time in hours [0, 24): UTC shifted by longitude / 15.
double solar_hour(double lon_deg, double t_secs);

}  // namespace envmon::sources::sim
