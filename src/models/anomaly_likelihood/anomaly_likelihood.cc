#include "models/anomaly_likelihood/anomaly_likelihood.h"

#include <algorithm>
#include <cmath>

namespace envmon::models::anomaly_likelihood {

namespace {

constexpr double kLogFloor = 1e-10;  // 1 - likelihood below this counts as this

// One-sided: Numenta mirrors values below the mean, which makes an unusually quiet stretch of
// raw scores as anomalous as a burst; a detector's silence is not an anomaly, so here it
// scores below 0.5.
double tail_probability(double x, double mu, double sigma) {
  return 0.5 * std::erfc((x - mu) / (sigma * std::sqrt(2.0)));
}

}  // namespace

AnomalyLikelihood::AnomalyLikelihood(const AnomalyLikelihoodConfig& config) : config_(config) {
  config_.averaging_points = std::max<int64_t>(config_.averaging_points, 1);
  config_.history_points = std::max<int64_t>(config_.history_points, 2);
  config_.reestimation_points = std::max<int64_t>(config_.reestimation_points, 1);
}

void AnomalyLikelihood::estimate() {
  double sum = 0, sum2 = 0;
  for (double m : means_) {
    sum += m;
    sum2 += m * m;
  }
  const double n = static_cast<double>(means_.size());
  const double mean = sum / n;
  const double var = std::max(sum2 / n - mean * mean, 0.0);
  mu_ = std::max(mean, config_.min_mean);
  sigma_ = std::sqrt(std::max(var, config_.min_variance));
  estimated_ = true;
  since_estimate_ = 0;
}

Likelihood AnomalyLikelihood::update(double raw_score) {
  if (!std::isfinite(raw_score)) return {};
  raw_.push_back(raw_score);
  raw_sum_ += raw_score;
  if (static_cast<int64_t>(raw_.size()) > config_.averaging_points) {
    raw_sum_ -= raw_.front();
    raw_.pop_front();
  }
  const double mean = raw_sum_ / static_cast<double>(raw_.size());
  ++points_;
  Likelihood out;
  if (points_ > config_.learning_points &&
      (!estimated_ || ++since_estimate_ >= config_.reestimation_points)) {
    estimate();
  }
  if (estimated_) {
    const double tail = tail_probability(mean, mu_, sigma_);
    out.likelihood = 1.0 - tail;
    out.log_likelihood = std::log(std::max(tail, kLogFloor)) / std::log(kLogFloor);
  }
  means_.push_back(mean);
  if (static_cast<int64_t>(means_.size()) > config_.history_points) means_.pop_front();
  return out;
}

}  // namespace envmon::models::anomaly_likelihood
