#pragma once

#include <memory>

#include "models/forecaster/forecaster.h"

namespace envmon::models {

// The baseline: the value one season (24 h) earlier, stepping back further seasons over missing
// values. Intervals are the 10%/90% quantiles of in-sample seasonal differences.
struct SeasonalNaiveConfig {
  int64_t period_hours = 24;
  int64_t interval_window_hours = 60 * 24;  // in-sample errors for the interval
};

class SeasonalNaive final : public Forecaster {
 public:
  explicit SeasonalNaive(SeasonalNaiveConfig config = {}) : config_(config) {}
  std::string_view name() const override { return "seasonal_naive"; }
  Status fit(const History& history) override;
  Result<Forecast> predict(const History& history, int horizon) const override;
  std::string save() const override;
  static Result<std::unique_ptr<SeasonalNaive>> load(std::string_view bytes);

 private:
  SeasonalNaiveConfig config_;
  StepQuantiles intervals_;
};

// The seasonal naive point forecast alone (also the MASE scale's reference).
std::vector<double> seasonal_naive_mean(std::span<const double> y, int period, int horizon);

}  // namespace envmon::models
