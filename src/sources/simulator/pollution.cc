#include "sources/simulator/pollution.h"

#include <algorithm>
#include <cmath>

#include "sources/simulator/noise.h"

namespace envmon::sources::sim {
namespace {

enum Salt : uint64_t { kPm = 41, kGas, kSo2 };

double bump(double h, double centre, double width) {
  const double z = (h - centre) / width;
  return std::exp(-0.5 * z * z);
}
double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

}  // namespace

double traffic_factor(LocalTime local) {
  const double h = local.hour;
  const double daytime = logistic((h - 6.5) * 2.0) * logistic((22.0 - h) * 2.0);
  const double rush = 0.9 * bump(h, 8.75, 1.0) + 1.0 * bump(h, 19.5, 1.3);
  return 0.3 + 0.45 * daytime + (local.weekend ? 0.4 : 1.0) * rush;
}

Pollution simulate_pollution(const StationProfile& p, const Weather& w, LocalTime local,
                             int64_t t_secs) {
  const auto t = static_cast<double>(t_secs);
  const double traffic = traffic_factor(local);
  const double winter = std::max(0.0, w.winterness);
  // Calm winter nights trap emissions under a shallow inversion.
  const double inversion = 1.0 + w.stability * (0.3 + 0.9 * winter);
  const double dispersion = std::clamp((1.0 + p.wind_mean_ms) / (1.0 + w.wind_speed), 0.3, 2.0);
  const double washout = 1.0 - 0.65 * w.wetness;
  const double season_pm = std::max(0.15, 1.0 + p.pm_winter_amp * w.winterness);
  const double episode_pm = std::exp(0.35 * fractal_noise(p.key ^ kPm, t, 2.0 * 86400.0, 2));
  const double episode_gas = std::exp(0.2 * fractal_noise(p.key ^ kGas, t, 86400.0, 2));
  const double trap = inversion * dispersion;

  Pollution out;
  out.pm25 = p.pm25 * season_pm * trap * washout * (0.75 + 0.25 * traffic) * episode_pm;
  // Strong dry wind lifts coarse dust: PM10 rises while fine PM disperses.
  const double dust = std::clamp((w.wind_speed - 4.0) / 6.0, 0.0, 1.0) * (1.0 - w.wetness);
  out.pm10 = out.pm25 * p.pm10_ratio * (1.0 + 0.5 * dust);
  // Sunlight photolyses NO2; traffic emits it.
  out.no2 = p.no2 * (0.3 + 0.7 * traffic) * trap * (1.0 - 0.35 * w.sun) * episode_gas;
  out.co = p.co * (0.4 + 0.6 * traffic) * trap * std::sqrt(season_pm) * episode_gas;
  out.so2 = p.so2 * (0.85 + 0.15 * traffic) * std::sqrt(trap) * (1.0 + 0.3 * winter) *
            std::exp(0.3 * value_noise(p.key ^ kSo2, t, 6.0 * 3600.0));
  // Ozone is made in sunny afternoons (summer more) and titrated by fresh NO.
  const double photo =
      w.sun_2h_ago * (1.0 - 0.6 * w.cloud_cover / 100.0) * (1.0 - 0.3 * w.winterness);
  out.o3 = std::max(2.0, p.o3 * (0.55 + 1.3 * photo) * episode_gas - 0.3 * out.no2);
  // Stay inside the catalogue's physical bounds even for extreme combinations.
  out.pm25 = std::min(out.pm25, 1500.0);
  out.pm10 = std::min(out.pm10, 4000.0);
  out.no2 = std::min(out.no2, 3000.0);
  return out;
}

}  // namespace envmon::sources::sim
