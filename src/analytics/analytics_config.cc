#include "analytics/analytics_config.h"

namespace envmon::analytics {

const config::Schema<AnalyticsConfig>& analytics_schema() {
  static const config::Schema<AnalyticsConfig> schema = [] {
    config::Schema<AnalyticsConfig> s("analytics");
    s.enumeration("mode", &AnalyticsConfig::mode, AnalyticsMode::streaming,
                  {{"streaming", AnalyticsMode::streaming}, {"off", AnalyticsMode::off}},
                  "streaming: score curated readings online and publish anomalies; off: do not")
        .string_list("metrics", &AnalyticsConfig::metrics,
                     "Metrics scored (ids such as pm25); empty: the pollutants, temperature, humidity, pressure")
        .enumeration("masked_values", &AnalyticsConfig::masked_values, MaskedValues::score_raw,
                     {{"score_raw", MaskedValues::score_raw}, {"skip", MaskedValues::skip}},
                     "Values the cleaner masked: score the raw value (never learned) or skip")
        .integer("workers", &AnalyticsConfig::workers, 1, "", 1, 64,
                 "Consumer-group members in this process (each owns whole stations)")
        .integer("poll_batch", &AnalyticsConfig::poll_batch, 500, "messages", 1, 100000,
                 "Curated messages per poll")
        .integer("poll_timeout_ms", &AnalyticsConfig::poll_timeout_ms, 100, "ms", 1, 60000,
                 "How long a poll waits for the first message")
        .integer("send_timeout_ms", &AnalyticsConfig::send_timeout_ms, 1000, "ms", 1, 600000,
                 "Back-pressure wait per anomaly send before it is retried")
        .integer("max_series", &AnalyticsConfig::max_series, 200000, "series", 1, 100000000,
                 "(station, metric) detectors held in memory; further series are not scored")
        .enumeration("detector", &AnalyticsConfig::detector, Detector::robust_zscore,
                     {{"robust_zscore", Detector::robust_zscore},
                      {"isolation_forest", Detector::isolation_forest},
                      {"both", Detector::both}},
                     "robust_zscore: per-metric seasonal z-scores; isolation_forest: hourly "
                     "feature vectors through a registered forest (falls back to robust_zscore "
                     "when the model cannot be loaded); both")
        .string("isolation_forest_model", &AnalyticsConfig::isolation_forest_model,
                std::string("anomaly_iforest_pm25"), "Registered model `envmon train anomaly` made")
        .string("isolation_forest_version", &AnalyticsConfig::isolation_forest_version,
                std::string("champion"), "Model version number, alias, or latest")
        .number("isolation_forest_threshold", &AnalyticsConfig::isolation_forest_threshold, 0.6,
                "score", 0, 1, "Isolation-forest score (0..1) at or above which an hour is an anomaly")
        .integer("rebuild_window_secs", &AnalyticsConfig::rebuild_window_secs, 86400, "s", 0,
                 2592000, "Kafka: curated history re-read on assignment to rebuild detectors");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> analytics_schema_docs() {
  std::vector<config::SchemaDoc> docs = {
      {"analytics", "Online scoring: streaming detectors on curated readings -> anomalies topic",
       analytics_schema().specs()}};
  for (auto& d : models::robust_zscore::robust_zscore_schema_docs("analytics.robust_zscore"))
    docs.push_back(std::move(d));
  for (auto& d : models::kmeans::kmeans_schema_docs()) docs.push_back(std::move(d));
  return docs;
}

namespace {

Status resolve_metrics(const config::Node& node, AnalyticsConfig& out) {
  if (out.metrics.empty()) {
    // Wind direction is circular, precipitation zero-inflated, cloud cover and wind speed jump
    // by nature: a median/MAD score on them reports weather, not anomalies.
    out.metric_list = {Metric::pm25, Metric::pm10, Metric::o3,          Metric::no2,     Metric::so2,
                       Metric::co,   Metric::temperature, Metric::humidity, Metric::pressure};
    return ok_status();
  }
  for (size_t i = 0; i < out.metrics.size(); ++i) {
    const auto m = parse_metric(out.metrics[i]);
    if (!m) {
      return node.child("metrics").item(i).error(Errc::config_bad_value,
                                                 "unknown metric '" + out.metrics[i] + "'");
    }
    out.metric_list.push_back(*m);
  }
  return ok_status();
}

}  // namespace

Result<AnalyticsConfig> parse_analytics_config(const config::Node& node) {
  AnalyticsConfig out;
  ENVMON_TRY(config::fill(node, analytics_schema(), out, {"robust_zscore", "clusters"}));
  ENVMON_TRY(resolve_metrics(node, out));
  auto rz = models::robust_zscore::parse_robust_zscore_config(node.child("robust_zscore"));
  if (!rz.ok()) return rz.error();
  out.robust_zscore = *rz;
  auto km = models::kmeans::parse_kmeans_config(node.child("clusters"));
  if (!km.ok()) return km.error();
  out.clusters = *km;
  return out;
}

}  // namespace envmon::analytics
