#include "models/anomaly_likelihood/anomaly_likelihood_config.h"

namespace envmon::models::anomaly_likelihood {

const config::Schema<AnomalyLikelihoodConfig>& anomaly_likelihood_schema() {
  static const config::Schema<AnomalyLikelihoodConfig> schema = [] {
    using C = AnomalyLikelihoodConfig;
    config::Schema<C> s("anomaly_likelihood");
    s.integer("averaging_points", &C::averaging_points, 10, "points", 1, 100000,
              "Recent raw scores whose mean is compared with the history")
        .integer("history_points", &C::history_points, 8640, "points", 10, 10000000,
                 "Recent short-term means the gaussian is estimated on")
        .integer("learning_points", &C::learning_points, 288, "points", 1, 10000000,
                 "Points before the first likelihood (until then 0.5)")
        .integer("reestimation_points", &C::reestimation_points, 100, "points", 1, 10000000,
                 "Points between two estimates of the gaussian")
        .number("min_mean", &C::min_mean, 0.03, "score", 0, 1e9,
                "Floor of the estimated mean of the short-term means")
        .number("min_variance", &C::min_variance, 0.0003, "score^2", 1e-12, 1e9,
                "Floor of the estimated variance, so a quiet history does not make noise unlikely");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> anomaly_likelihood_schema_docs(const std::string& section) {
  return {{section,
           "Numenta's anomaly likelihood: gaussian tail of the short-term mean of raw anomaly "
           "scores against their history",
           anomaly_likelihood_schema().specs()}};
}

Result<AnomalyLikelihoodConfig> parse_anomaly_likelihood_config(const config::Node& settings) {
  AnomalyLikelihoodConfig out;
  ENVMON_TRY(config::fill(settings, anomaly_likelihood_schema(), out));
  if (out.averaging_points > out.history_points) {
    return settings.child("averaging_points")
        .error(Errc::config_bad_value, "must not exceed history_points");
  }
  return out;
}

}  // namespace envmon::models::anomaly_likelihood
