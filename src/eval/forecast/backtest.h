#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "eval/forecast/metrics.h"
#include "models/forecaster/forecaster.h"

namespace envmon::eval {

// Rolling-origin evaluation. Origins are `origin_spacing_hours` apart (not a multiple of 24, so
// they visit every hour of the day). The test origins end the series: the last one's horizon
// covers the last observed hours. The validation origins come before, with horizons that end
// before the first test origin: the ensemble's weights come from them alone (no leakage).
// MASE is scaled by the seasonal-naive (period 24) MAE in the history before the first
// validation origin.
struct BacktestConfig {
  int64_t horizon = 24;
  int64_t test_origins = 20;
  int64_t validation_origins = 8;
  int64_t origin_spacing_hours = 61;
  int64_t season_hours = 24;
  int64_t min_history_hours = 28 * 24;  // before the first validation origin
};

struct ModelEntry {
  std::string name;
  std::function<Result<std::unique_ptr<models::Forecaster>>()> make;
};

struct ModelScore {
  std::string model;
  Metrics validation, test;
  double weight = 0;        // in the ensemble
  double fit_seconds = 0;   // total over origins
  double predict_seconds = 0;
  std::vector<std::string> failures;  // "origin 3: ..." for fits that failed (forecasts missing)
};

struct BacktestResult {
  std::vector<ModelScore> scores;  // the models in order, then "ensemble"
  double mase_scale = 0;
  std::vector<size_t> validation_origins, test_origins;  // indices into the series
};

// `models` are fitted per origin (or once at the first validation origin when a model says it
// does not refit). `with_ensemble` adds the inverse-validation-MAE weighted ensemble.
Result<BacktestResult> run_backtest(const models::History& series,
                                    const std::vector<ModelEntry>& models,
                                    const BacktestConfig& config, bool with_ensemble);

}  // namespace envmon::eval
