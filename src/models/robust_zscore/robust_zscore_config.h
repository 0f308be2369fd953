#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::robust_zscore {

// The season the baseline follows: one slot per local hour of the day, or per hour of the week.
enum class Seasonality { daily, weekly };

// What a value is expected to be. `profile_and_level`: the hourly profile interpolated between
// slot middles plus the recent level of the seasonal residuals; the online stage wants it (a
// weather front moves the baseline within the hour instead of firing all day). `slot_median`:
// the slot's median alone; a detector that must catch sustained level shifts (NAB) wants it,
// as a shift stays anomalous until the slots learn it.
enum class Baseline { profile_and_level, slot_median };

struct RobustZScoreConfig {
  Seasonality seasonality = Seasonality::daily;
  int64_t season_window_points = 84;     // per slot: 7 days of 5-minute readings
  Baseline baseline = Baseline::profile_and_level;
  int64_t level_window_points = 12;      // the residual level follows the last hour (fronts, episodes)
  int64_t residual_window_points = 288;  // residual scale over one day of 5-minute readings
  int64_t min_points = 36;               // no score before this many residuals
  double threshold = 4.0;                // |z| at or above this is an anomaly
  double min_scale = 0.1;                // floor of the residual scale, in the metric's unit
};

const config::Schema<RobustZScoreConfig>& robust_zscore_schema();
std::vector<config::SchemaDoc> robust_zscore_schema_docs(const std::string& section);
Result<RobustZScoreConfig> parse_robust_zscore_config(const config::Node& settings);

}  // namespace envmon::models::robust_zscore
