#pragma once

#include <cstdint>

#include "sources/simulator/climate.h"
#include "sources/simulator/station_profile.h"

namespace envmon::sources::sim {

// Local civil time of a tick (from the station's IANA zone): traffic follows clocks, not the sun.
struct LocalTime {
  double hour = 0;  // [0, 24)
  bool weekend = false;
};

struct Pollution {
  double pm25 = 0;  // all ug/m3
  double pm10 = 0;
  double o3 = 0;
  double no2 = 0;
  double so2 = 0;
  double co = 0;
};

// Clean pollutant concentrations: city baseline x traffic (rush hours) x inversions (calm winter
// nights) x dispersion (wind) x wash-out (recent rain); ozone from sunshine, titrated by NO2.
Pollution simulate_pollution(const StationProfile& p, const Weather& w, LocalTime local,
                             int64_t t_secs);

// Relative traffic emissions at a local hour (about 0.3 at night, ~2 in rush hours).
double traffic_factor(LocalTime local);

}  // namespace envmon::sources::sim
