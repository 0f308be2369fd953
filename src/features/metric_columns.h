#pragma once

#include <utility>

#include "features/raw_frame.h"
#include "model/metric.h"

namespace envmon::features {

// The raw columns a station's measurements fill: the store's hourly aggregates offline
// (eval::read_store_dataset) and curated readings online (analytics::ForestScorer) both map
// metrics to columns with this one table, so both frames hold the same quantities.
inline constexpr std::pair<Metric, Raw> kMetricColumns[] = {
    {Metric::pm25, Raw::pm25},           {Metric::temperature, Raw::temperature},
    {Metric::humidity, Raw::humidity},   {Metric::pressure, Raw::pressure},
    {Metric::wind_speed, Raw::wind_speed}, {Metric::wind_direction, Raw::wind_dir_deg},
    {Metric::precipitation, Raw::precipitation}};

}  // namespace envmon::features
