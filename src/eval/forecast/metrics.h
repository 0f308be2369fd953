#pragma once

#include <cstddef>
#include <span>

namespace envmon::eval {

// Point and interval accuracy over (actual, forecast) pairs; a pair with a missing actual or
// forecast is skipped (missing targets are masked, never imputed).
struct Metrics {
  double mae = 0, rmse = 0;
  double smape = 0;     // %, 0..200: 200/n Σ |F − A| / (|A| + |F|), a 0/0 term counts as 0
  double mase = 0;      // MAE / the in-sample seasonal-naive MAE (the scale)
  double coverage = 0;  // share of actuals inside [lower, upper]
  size_t count = 0;
};

class MetricsAccumulator {
 public:
  void add(double actual, double mean, double lower, double upper);
  void add(std::span<const double> actual, std::span<const double> mean,
           std::span<const double> lower, std::span<const double> upper);
  // NaN everywhere when nothing was added.
  Metrics result(double mase_scale) const;

 private:
  double abs_ = 0, sq_ = 0, smape_ = 0;
  size_t inside_ = 0, n_ = 0;
};

// Mean |y_t − y_{t−period}| over pairs where both are present: the MASE denominator.
double seasonal_naive_scale(std::span<const double> y, size_t period);

}  // namespace envmon::eval
