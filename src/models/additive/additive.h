#pragma once

#include <memory>
#include <string>
#include <vector>

#include "features/raw_frame.h"
#include "models/forecaster/forecaster.h"

namespace envmon::models {

enum class YearlySeasonality { automatic, on, off };
// `autoregressive`: the forecast adds the last in-sample residual times the residuals'
// autocorrelation at each lead time (what Prophet leaves on the table at short horizons, where
// the current anomaly persists); `none` is Prophet's forecast exactly.
enum class ResidualCorrection { none, autoregressive };

// The Prophet-style additive model (Taylor & Letham 2018):
//   y(t) = trend(t) + daily(t) + weekly(t) + yearly(t) + Σ β_r x_r(t) + ε
// trend: piecewise linear, k t + m + Σ δ_j (t - s_j)+, with `changepoints` candidate points s_j
// spread over the first `changepoint_range` of the history and a Laplace (sparse) prior on δ;
// seasonalities: Fourier series in local time with Normal priors; regressors: standardised
// weather covariates. Fitted by MAP with L-BFGS-B (LBFGS++ on Eigen): the Laplace prior becomes
// linear by splitting δ = δ⁺ − δ⁻ with δ± ≥ 0, so the optimum is exact, not smoothed.
// Intervals: Prophet's simulation of future trend changes plus observation noise.
struct AdditiveConfig {
  int64_t changepoints = 25;
  double changepoint_range = 0.8;
  double changepoint_prior_scale = 0.05;
  double seasonality_prior_scale = 10;
  double regressor_prior_scale = 10;
  int64_t daily_order = 4;
  int64_t weekly_order = 3;
  int64_t yearly_order = 10;
  YearlySeasonality yearly = YearlySeasonality::automatic;  // automatic: on from 365 days
  int64_t window_hours = 730 * 24;  // most recent history used for the fit
  int64_t uncertainty_samples = 300;
  int64_t max_iterations = 1000;
  ResidualCorrection residual_correction = ResidualCorrection::autoregressive;
  int64_t residual_lags = 48;  // hours of residual autocorrelation kept
  uint64_t seed = 42;
  // Weather covariates as extra regressors. Forecasting with them needs their future values
  // (a weather forecast); the evaluation passes the observed ones (an oracle), and says so.
  std::vector<features::Raw> regressors;
};

struct AdditiveComponents {
  double trend = 0, daily = 0, weekly = 0, yearly = 0, regressors = 0;
};

class Additive final : public Forecaster {
 public:
  explicit Additive(AdditiveConfig config = {}) : config_(std::move(config)) {}
  std::string_view name() const override { return "additive"; }
  Status fit(const History& history) override;
  Result<Forecast> predict(const History& history, int horizon) const override;
  std::string save() const override;
  static Result<std::unique_ptr<Additive>> load(std::string_view bytes);

  // The fitted components at a UTC time (regressors at their means), in data units.
  AdditiveComponents components(int64_t unix_secs) const;
  int iterations() const { return iterations_; }
  const std::vector<double>& changepoint_deltas() const { return delta_; }
  const std::vector<double>& residual_autocorrelation() const { return residual_acf_; }

 private:
  struct Layout;
  Layout layout() const;
  double scaled_time(int64_t unix_secs) const;
  // One design row (trend, seasonal, regressor columns) into `out`.
  void design_row(int64_t unix_secs, const double* regressors, double* out) const;
  // The model's value (scaled units) at a history index, regressors from the history's frame.
  double fitted_at(const History& h, size_t index) const;
  void fit_residual_acf(const History& h);

  AdditiveConfig config_;
  // Fitted state.
  int64_t t_start_ = 0, t_end_ = 1;  // UTC seconds: scaled time 0 and 1
  int utc_offset_secs_ = 0;
  bool yearly_on_ = false;
  double y_scale_ = 1;
  std::vector<double> changepoints_;  // scaled times
  double k_ = 0, m_ = 0, sigma_ = 1;  // scaled units
  std::vector<double> delta_, beta_;
  std::vector<double> reg_mean_, reg_std_;
  std::vector<double> residual_acf_;  // index k - 1: the residuals' autocorrelation at lag k
  int iterations_ = 0;
};

}  // namespace envmon::models
