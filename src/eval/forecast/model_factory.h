#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "eval/datasets/datasets.h"
#include "models/forecaster/forecaster.h"

namespace envmon::eval {

// Weather covariates for the additive model: `none`, or `oracle` (the observed future weather
// stands in for a weather forecast; an upper bound on what covariates can give).
enum class Covariates { none, oracle };

struct ModelOptions {
  Covariates covariates = Covariates::none;
  int64_t horizon = 24;
  int64_t lstm_epochs = 6;
};

// The forecasters by name, in report order (the ensemble is built from the others).
// make_model also knows "additive_plain": the additive model without its residual correction.
const std::vector<std::string>& forecast_model_names();  // additive lstm holt_winters seasonal_naive
Result<std::unique_ptr<models::Forecaster>> make_model(std::string_view name,
                                                       const ModelOptions& options);
// Any saved model (ensembles too), dispatched on the envelope's kind.
Result<std::unique_ptr<models::Forecaster>> load_model(std::string_view bytes);

// The target column of a dataset as a forecasting history (covariates attached). `target` is
// pm25 or temperature; a dataset without any value of it is an error naming the file.
Result<models::History> dataset_history(const Dataset& d, std::string_view target);
// The unit of a target's errors (MAE, RMSE) in reports.
std::string_view target_unit(std::string_view target);

}  // namespace envmon::eval
