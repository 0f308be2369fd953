#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "models/robust_zscore/robust_zscore_config.h"
#include "models/robust_zscore/rolling_window.h"

namespace envmon::models::robust_zscore {

// What one point scored, and why.
struct Score {
  double z = 0;         // signed robust z of the seasonal residual; 0 while warming up
  double value = 0;
  double seasonal = 0;  // the slot's median (or the recent median while the slot is empty)
  double level = 0;     // median of the last level_window_points seasonal residuals (or 0)
  double baseline = 0;  // seasonal + level: what the value was expected to be
  double residual = 0;  // value - baseline
  double scale = 0;     // 1.4826 * MAD of recent residuals, floored at min_scale
  int slot = 0;         // local hour of day (0..23) or hour of week (0..167, Monday 00 = 0)
  bool warm = false;    // enough history to score
  bool anomaly = false;  // warm and |z| >= threshold
};

// A streaming detector for one series. Each point is scored against the state before it, then
// joins the state:
//   seasonal = median of the slot's last season_window_points values (seasonal profile),
//   level    = median of the last level_window_points seasonal residuals (x - seasonal): a
//              front or an episode shifts the level within the hour instead of firing all day
//              (baseline: profile_and_level, the default; baseline: slot_median uses the
//              slot's median without interpolation and leaves the level at 0),
//   residual = x - (seasonal + level),
//   z = (residual - median(residuals)) / max(1.4826 * MAD(residuals), min_scale) over the last
//       residual_window_points residuals.
// Medians and MADs make one spike unable to move the baseline or inflate the scale. Constant
// work per point for fixed windows; memory is slots x season_window_points doubles.
class RobustZScore {
 public:
  explicit RobustZScore(const RobustZScoreConfig& config);

  // `utc_offset_secs` places t in local time, where the daily cycle lives. Non-finite values
  // are not scored and leave the state alone (warm = false).
  Score update(Timestamp t, double value, int32_t utc_offset_secs = 0);
  // Scores without learning: for values that must not shape the baseline (a reading the
  // cleaner masked as a spike is still worth reporting, but not worth remembering).
  Score score(Timestamp t, double value, int32_t utc_offset_secs = 0) const;

  const RobustZScoreConfig& config() const { return config_; }
  size_t points() const { return points_; }

  // JSON object for the anomaly record: the score, baseline, residual, scale and slot.
  static std::string explanation_json(const Score& s, const RobustZScoreConfig& config);

  // The versioned model envelope (kind "robust_zscore", version 1): config and every window.
  std::string save() const;
  static Result<RobustZScore> load(std::string_view bytes);

 private:
  int slot_of(Timestamp t, int32_t utc_offset_secs) const;
  double seasonal_at(Timestamp t, int32_t utc_offset_secs, int slot, double value) const;

  RobustZScoreConfig config_;
  std::vector<RollingWindow> slots_;
  RollingWindow recent_;     // raw values: the baseline until a slot has history
  RollingWindow levels_;     // seasonal residuals (x - seasonal)
  RollingWindow residuals_;  // x - (seasonal + level)
  size_t points_ = 0;
};

}  // namespace envmon::models::robust_zscore
