#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "models/forecaster/forecaster.h"

namespace envmon::models {

// A weighted average of member forecasts (means and interval bounds alike). The weights come
// from backtest errors on a validation window before any test window (eval/forecast), so the
// test data never choose them.
class Ensemble final : public Forecaster {
 public:
  using Loader = std::function<Result<std::unique_ptr<Forecaster>>(std::string_view bytes)>;

  Ensemble(std::vector<std::unique_ptr<Forecaster>> members, std::vector<double> weights);

  // Weights ∝ 1 / error, normalised to sum 1; a member with a missing or non-finite error
  // gets 0. All missing: equal weights.
  static std::vector<double> inverse_error_weights(const std::vector<double>& errors);
  // The weighted combination of forecasts of the same length (weight 0 members skipped).
  static Forecast combine(const std::vector<Forecast>& forecasts, const std::vector<double>& weights);

  std::string_view name() const override { return "ensemble"; }
  Status fit(const History& history) override;  // fits every member
  Result<Forecast> predict(const History& history, int horizon) const override;
  std::string save() const override;
  static Result<std::unique_ptr<Ensemble>> load(std::string_view bytes, const Loader& member_loader);

  const std::vector<double>& weights() const { return weights_; }

 private:
  std::vector<std::unique_ptr<Forecaster>> members_;
  std::vector<double> weights_;
};

}  // namespace envmon::models
