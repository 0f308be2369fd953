#include "eval/forecast/metrics.h"

#include <cmath>
#include <limits>

namespace envmon::eval {

void MetricsAccumulator::add(double actual, double mean, double lower, double upper) {
  if (!std::isfinite(actual) || !std::isfinite(mean)) return;
  const double e = mean - actual;
  abs_ += std::abs(e);
  sq_ += e * e;
  const double denom = std::abs(actual) + std::abs(mean);
  smape_ += denom > 0 ? 2 * std::abs(e) / denom : 0;
  inside_ += actual >= lower && actual <= upper ? 1 : 0;
  ++n_;
}

void MetricsAccumulator::add(std::span<const double> actual, std::span<const double> mean,
                             std::span<const double> lower, std::span<const double> upper) {
  for (size_t i = 0; i < actual.size() && i < mean.size(); ++i) {
    add(actual[i], mean[i], lower[i], upper[i]);
  }
}

Metrics MetricsAccumulator::result(double mase_scale) const {
  Metrics m;
  m.count = n_;
  if (n_ == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    m.mae = m.rmse = m.smape = m.mase = m.coverage = nan;
    return m;
  }
  const auto n = static_cast<double>(n_);
  m.mae = abs_ / n;
  m.rmse = std::sqrt(sq_ / n);
  m.smape = 100 * smape_ / n;
  m.mase = mase_scale > 0 ? m.mae / mase_scale : std::numeric_limits<double>::quiet_NaN();
  m.coverage = static_cast<double>(inside_) / n;
  return m;
}

double seasonal_naive_scale(std::span<const double> y, size_t period) {
  double sum = 0;
  size_t n = 0;
  for (size_t t = period; t < y.size(); ++t) {
    if (std::isfinite(y[t]) && std::isfinite(y[t - period])) {
      sum += std::abs(y[t] - y[t - period]);
      ++n;
    }
  }
  return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace envmon::eval
