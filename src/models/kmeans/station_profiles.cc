#include "models/kmeans/station_profiles.h"

#include <cmath>

#include <absl/time/time.h>

namespace envmon::models::kmeans {

Result<StationProfile> build_profile(const std::string& station, const std::string& timezone,
                                     const std::vector<Aggregate>& hourly, size_t min_hours) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(timezone, &tz))
    return Error(Errc::invalid_argument, "station " + station + ": unknown time zone '" + timezone + "'");
  std::vector<double> sum(kProfileDims, 0.0);
  std::vector<size_t> count(kProfileDims, 0);
  double total = 0;
  double total_sq = 0;
  size_t n = 0;
  for (const auto& a : hourly) {
    if (!std::isfinite(a.mean) || a.count <= 0) continue;
    const absl::CivilSecond local = tz.At(absl::FromUnixMillis(to_unix_ms(a.bucket_start))).cs;
    const size_t hour = static_cast<size_t>(local.hour());
    const size_t dow = static_cast<size_t>(absl::GetWeekday(local));  // Monday = 0
    for (size_t slot : {hour, 24 + dow}) {
      sum[slot] += a.mean;
      ++count[slot];
    }
    total += a.mean;
    total_sq += a.mean * a.mean;
    ++n;
  }
  if (n < min_hours || n == 0)
    return Error(Errc::invalid_argument, "station " + station + ": " + std::to_string(n) +
                                             " hourly aggregates, profile needs " +
                                             std::to_string(min_hours));
  const double mu = total / static_cast<double>(n);
  const double sd = std::sqrt(std::max(0.0, total_sq / static_cast<double>(n) - mu * mu));
  if (!(sd > 1e-12)) return Error(Errc::invalid_argument, "station " + station + ": flat series");
  StationProfile p{station, std::vector<double>(kProfileDims, 0.0), n};
  for (size_t i = 0; i < kProfileDims; ++i)
    if (count[i] > 0) p.features[i] = (sum[i] / static_cast<double>(count[i]) - mu) / sd;
  return p;
}

}  // namespace envmon::models::kmeans
