#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::anomaly_likelihood {

// Numenta's defaults (nupic anomaly_likelihood): a 10-point average against the distribution
// of such averages over the last 8640 points (30 days of 5-minute data), re-estimated every
// 100 points once 288 points have been seen.
struct AnomalyLikelihoodConfig {
  int64_t averaging_points = 10;      // short-term mean of the raw scores
  int64_t history_points = 8640;      // the short-term means the distribution is estimated on
  int64_t learning_points = 288;      // no likelihood (0.5) before this many points
  int64_t reestimation_points = 100;  // the distribution is refitted this often
  double min_mean = 0.03;             // floors keep a quiet history from calling noise unlikely
  double min_variance = 0.0003;
};

const config::Schema<AnomalyLikelihoodConfig>& anomaly_likelihood_schema();
std::vector<config::SchemaDoc> anomaly_likelihood_schema_docs(const std::string& section);
Result<AnomalyLikelihoodConfig> parse_anomaly_likelihood_config(const config::Node& settings);

}  // namespace envmon::models::anomaly_likelihood
