#pragma once

#include <memory>

#include "models/forecaster/forecaster.h"

namespace envmon::models {

// Holt-Winters / ETS(A,Ad,A): additive level, damped trend and 24-hour season. fit() picks the
// smoothing parameters by grid search on one-step squared error over a recent window; predict()
// runs the filter over the history it is given, so a fitted model forecasts from any origin.
// Intervals: 10%/90% quantiles of in-sample errors at each step ahead.
struct HoltWintersConfig {
  int64_t period_hours = 24;
  int64_t window_hours = 56 * 24;  // history the filter runs over (and the grid search scores)
  double damping = 0.95;
};

struct HoltWintersParams {
  double alpha = 0.2, beta = 0.01, gamma = 0.1;
};

class HoltWinters final : public Forecaster {
 public:
  explicit HoltWinters(HoltWintersConfig config = {}) : config_(config) {}
  std::string_view name() const override { return "holt_winters"; }
  Status fit(const History& history) override;
  Result<Forecast> predict(const History& history, int horizon) const override;
  std::string save() const override;
  static Result<std::unique_ptr<HoltWinters>> load(std::string_view bytes);
  const HoltWintersParams& params() const { return params_; }

 private:
  HoltWintersConfig config_;
  HoltWintersParams params_;
  StepQuantiles intervals_;
};

}  // namespace envmon::models
