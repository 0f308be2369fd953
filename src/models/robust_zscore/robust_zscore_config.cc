#include "models/robust_zscore/robust_zscore_config.h"

namespace envmon::models::robust_zscore {

const config::Schema<RobustZScoreConfig>& robust_zscore_schema() {
  static const config::Schema<RobustZScoreConfig> schema = [] {
    config::Schema<RobustZScoreConfig> s("robust_zscore");
    s.enumeration("seasonality", &RobustZScoreConfig::seasonality, Seasonality::daily,
                  {{"daily", Seasonality::daily}, {"weekly", Seasonality::weekly}},
                  "Baseline slots: local hour of day (24) or hour of week (168)")
        .integer("season_window_points", &RobustZScoreConfig::season_window_points, 84, "points",
                 3, 10000, "Values per slot the seasonal median is taken over")
        .enumeration("baseline", &RobustZScoreConfig::baseline, Baseline::profile_and_level,
                     {{"profile_and_level", Baseline::profile_and_level},
                      {"slot_median", Baseline::slot_median}},
                     "Expected value: hourly profile interpolated between slots + median of the "
                     "last level_window_points seasonal residuals, or the slot's median alone")
        .integer("level_window_points", &RobustZScoreConfig::level_window_points, 12, "points", 1,
                 10000, "Recent seasonal residuals whose median is the current level (weather shifts)")
        .integer("residual_window_points", &RobustZScoreConfig::residual_window_points, 288,
                 "points", 8, 100000, "Recent residuals the robust scale (MAD) is taken over")
        .integer("min_points", &RobustZScoreConfig::min_points, 36, "points", 3, 100000,
                 "Residuals needed before a point is scored (warm-up)")
        .number("threshold", &RobustZScoreConfig::threshold, 4.0, "", 0.5, 1000,
                "Robust |z| at or above which a point is an anomaly")
        .number("min_scale", &RobustZScoreConfig::min_scale, 0.1, "metric unit", 0, 1e9,
                "Floor of the residual scale, so a flat series does not turn noise into anomalies");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> robust_zscore_schema_docs(const std::string& section) {
  return {{section,
           "Streaming robust z-score on seasonal residuals: x - (seasonal profile + recent level), "
           "scaled by 1.4826 MAD",
           robust_zscore_schema().specs()}};
}

Result<RobustZScoreConfig> parse_robust_zscore_config(const config::Node& settings) {
  RobustZScoreConfig out;
  ENVMON_TRY(config::fill(settings, robust_zscore_schema(), out));
  if (out.min_points > out.residual_window_points) {
    return settings.child("min_points")
        .error(Errc::config_bad_value, "must not exceed residual_window_points");
  }
  return out;
}

}  // namespace envmon::models::robust_zscore
