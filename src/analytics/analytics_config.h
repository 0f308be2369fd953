#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "model/metric.h"
#include "models/kmeans/kmeans_config.h"
#include "models/robust_zscore/robust_zscore_config.h"

namespace envmon::analytics {

// streaming: the online scoring stage runs beside the processor; off: it does not.
enum class AnalyticsMode { streaming, off };
// Which detectors score online. isolation_forest needs a model registered by `envmon train
// anomaly`; without one the stage logs why and falls back to robust_zscore.
enum class Detector { robust_zscore, isolation_forest, both };
// What a measurement the cleaner masked (spike, outlier, out of bounds) is scored on: its raw
// value (reported, never learned into the baseline) or not at all.
enum class MaskedValues { score_raw, skip };

struct AnalyticsConfig {
  AnalyticsMode mode = AnalyticsMode::streaming;
  std::vector<std::string> metrics;  // as written; empty: pollutants, temperature, humidity, pressure
  std::vector<Metric> metric_list;   // resolved
  MaskedValues masked_values = MaskedValues::score_raw;
  int64_t workers = 1;
  int64_t poll_batch = 500;
  int64_t poll_timeout_ms = 100;
  int64_t send_timeout_ms = 1000;
  int64_t max_series = 200000;         // (station, metric) detectors held; more are not scored
  int64_t rebuild_window_secs = 86400;  // Kafka: curated history re-read to rebuild detectors
  Detector detector = Detector::robust_zscore;
  std::string isolation_forest_model = "anomaly_iforest_pm25";  // registered model name
  std::string isolation_forest_version = "champion";            // version, alias or "latest"
  double isolation_forest_threshold = 0.6;                       // score that makes an anomaly
  models::robust_zscore::RobustZScoreConfig robust_zscore;  // block `robust_zscore:`
  models::kmeans::KMeansConfig clusters;                     // block `clusters:` (train clusters)
};

const config::Schema<AnalyticsConfig>& analytics_schema();
std::vector<config::SchemaDoc> analytics_schema_docs();
// The `analytics:` section (undefined: every default). Errors name file, line and key.
Result<AnalyticsConfig> parse_analytics_config(const config::Node& node);

}  // namespace envmon::analytics
