#pragma once

#include <deque>

#include "models/anomaly_likelihood/anomaly_likelihood_config.h"

namespace envmon::models::anomaly_likelihood {

struct Likelihood {
  double likelihood = 0.5;  // 1 - tail probability of the short-term mean; 0.5 while learning
  double log_likelihood = 0;  // log(1 - likelihood) / log(1e-10): spreads the 0.999.. region
};

// Numenta's anomaly likelihood for one stream of raw anomaly scores (any detector's, in
// roughly [0, 1]). A raw score says how unusual this point is; the likelihood says how unusual
// the recent level of raw scores is for this series: a noisy series whose detector fires
// every hour needs a burst well above its habit, a quiet one fires on its first deviation.
//   m_t = mean of the last averaging_points raw scores,
//   (mu, sigma) = mean and sd of m over the last history_points points, refitted every
//                 reestimation_points points and floored at (min_mean, sqrt(min_variance)),
//   likelihood = 1 - Q((m_t - mu) / sigma), Q the upper gaussian tail (one-sided, unlike
//                Numenta's mirror image: an unusually quiet stretch is not an anomaly).
class AnomalyLikelihood {
 public:
  explicit AnomalyLikelihood(const AnomalyLikelihoodConfig& config);

  Likelihood update(double raw_score);

  const AnomalyLikelihoodConfig& config() const { return config_; }

 private:
  void estimate();

  AnomalyLikelihoodConfig config_;
  std::deque<double> raw_;    // last averaging_points raw scores
  double raw_sum_ = 0;
  std::deque<double> means_;  // last history_points short-term means
  long points_ = 0;
  long since_estimate_ = 0;
  bool estimated_ = false;
  double mu_ = 0;
  double sigma_ = 1;
};

}  // namespace envmon::models::anomaly_likelihood
