#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "model/reading.h"

namespace envmon::models::kmeans {

// A station's shape over the day and the week, the features stations are clustered by:
// the mean of its hourly aggregates per local hour of day (24) and per local day of week
// (7, Monday first), z-scored with the station's own mean and standard deviation so stations
// cluster by when they are high or low, not by how high. A slot without data gets 0 (the mean).
inline constexpr size_t kProfileDims = 24 + 7;

struct StationProfile {
  std::string station;
  std::vector<double> features;  // kProfileDims values
  size_t hours = 0;              // hourly aggregates it was built from
};

// `hourly` are one station's hourly aggregates of one metric; `timezone` an IANA name.
// Errors: unknown time zone, fewer than `min_hours` aggregates, or a flat series.
Result<StationProfile> build_profile(const std::string& station, const std::string& timezone,
                                     const std::vector<Aggregate>& hourly, size_t min_hours);

}  // namespace envmon::models::kmeans
