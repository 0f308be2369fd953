#pragma once

#include <string>
#include <vector>

#include "app/cli.h"
#include "eval/forecast/backtest.h"
#include "eval/forecast/model_factory.h"

namespace envmon::app {

// What `envmon eval forecast` and `envmon train forecast` share: the dataset and target
// flags, backtest settings, model options, and the JSON-lines figures they print.
inline const std::vector<std::string> kForecastFlags = {
    "dataset", "store-db", "station", "from", "to", "target", "horizon", "models", "test-origins", "validation-origins",
    "origin-spacing-hours", "covariates", "lstm-epochs"};

struct ForecastRun {
  eval::Dataset dataset;
  models::History history;
  std::string target;
  eval::BacktestConfig backtest;
  eval::ModelOptions options;
  std::vector<std::string> models;  // base models (no "ensemble")
  bool ensemble = true;
};

// Reads --dataset FILE (or --store-db PATH --station ID [--from DATE] [--to DATE]: the
// station's hourly aggregates in a SQLite store); errors name the flag or the file:line.
Result<eval::Dataset> read_training_dataset(const Args& args);
// The dataset as above and the rest.
Result<ForecastRun> parse_forecast_run(const Args& args);
std::vector<eval::ModelEntry> model_entries(const ForecastRun& run);
// {"name": ..., "value": ..., "unit": ...} on one line (NaN -> null).
void print_figure(const std::string& name, double value, const std::string& unit);

}  // namespace envmon::app
