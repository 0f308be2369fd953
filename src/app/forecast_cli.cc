#include "app/forecast_cli.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "eval/datasets/store_frame.h"
#include "store/sqlite/sqlite_store_config.h"

namespace envmon::app {
namespace {

Result<std::vector<std::string>> parse_models(const std::string& list, bool& ensemble) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string name;
  ensemble = false;
  const auto& known = eval::forecast_model_names();
  while (std::getline(in, name, ',')) {
    if (name == "ensemble") {
      ensemble = true;
      continue;
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Error(Errc::invalid_argument,
                   "--models: unknown model '" + name +
                       "' (additive, lstm, holt_winters, seasonal_naive, ensemble)");
    }
    out.push_back(name);
  }
  if (ensemble && out.empty()) out = known;  // an ensemble needs members
  return out;
}

Result<int64_t> integer_flag(const Args& args, const std::string& flag, int64_t fallback,
                             double min, double max) {
  auto v = args.number(flag, static_cast<double>(fallback), min, max);
  if (!v.ok()) return v.error();
  return static_cast<int64_t>(*v);
}

// A station's history from a SQLite store: [--from, --to), by default the 730 days to now.
Result<eval::Dataset> read_from_store(const Args& args) {
  const auto station = args.get("station");
  if (!station) return Error(Errc::invalid_argument, "--store-db needs --station ID");
  Timestamp to = floor_to(Timestamp(std::chrono::duration_cast<Millis>(
                              std::chrono::system_clock::now().time_since_epoch())),
                          Millis(3600000));
  if (auto t = args.get("to")) {
    auto parsed = parse_date(*t);
    if (!parsed.ok()) return parsed.error().with_context("--to");
    to = *parsed;
  }
  Timestamp from = to - Millis(int64_t{730} * 86400000);
  if (auto f = args.get("from")) {
    auto parsed = parse_date(*f);
    if (!parsed.ok()) return parsed.error().with_context("--from");
    from = *parsed;
  }
  store::sqlite::SqliteStoreConfig cfg;
  cfg.path = *args.get("store-db");
  auto s = store::sqlite::make_sqlite_store(cfg);
  ENVMON_TRY(s->open());
  auto d = eval::read_store_dataset(*s, *station, from, to);
  s->close();
  return d;
}

}  // namespace

Result<eval::Dataset> read_training_dataset(const Args& args) {
  const auto path = args.get("dataset");
  if (!path && !args.has("store-db")) {
    return Error(Errc::invalid_argument,
                 "needs --dataset FILE (a CSV in a supported layout) or --store-db PATH --station ID");
  }
  return path ? eval::read_dataset(*path) : read_from_store(args);
}

Result<ForecastRun> parse_forecast_run(const Args& args) {
  ForecastRun run;
  run.target = args.get("target").value_or("pm25");
  auto d = read_training_dataset(args);
  if (!d.ok()) return d.error();
  run.dataset = std::move(*d);
  auto h = eval::dataset_history(run.dataset, run.target);
  if (!h.ok()) return h.error();
  run.history = *h;
  struct IntFlag {
    const char* flag;
    int64_t* field;
    double min, max;
  };
  for (const IntFlag& f : {IntFlag{"horizon", &run.backtest.horizon, 1, 24 * 14},
                           IntFlag{"test-origins", &run.backtest.test_origins, 1, 1000},
                           IntFlag{"validation-origins", &run.backtest.validation_origins, 1, 1000},
                           IntFlag{"origin-spacing-hours", &run.backtest.origin_spacing_hours, 1, 24 * 365},
                           IntFlag{"lstm-epochs", &run.options.lstm_epochs, 1, 200}}) {
    auto v = integer_flag(args, f.flag, *f.field, f.min, f.max);
    if (!v.ok()) return v.error();
    *f.field = *v;
  }
  run.options.horizon = run.backtest.horizon;
  const std::string cov = args.get("covariates").value_or("none");
  if (cov != "none" && cov != "oracle") {
    return Error(Errc::invalid_argument, "--covariates: '" + cov + "' is not none or oracle");
  }
  run.options.covariates = cov == "oracle" ? eval::Covariates::oracle : eval::Covariates::none;
  auto models = parse_models(args.get("models").value_or("additive,lstm,holt_winters,seasonal_naive,ensemble"), run.ensemble);
  if (!models.ok()) return models.error();
  run.models = std::move(*models);
  return run;
}

std::vector<eval::ModelEntry> model_entries(const ForecastRun& run) {
  std::vector<eval::ModelEntry> out;
  for (const auto& name : run.models) {
    out.push_back({name, [name, o = run.options] { return eval::make_model(name, o); }});
  }
  return out;
}

void print_figure(const std::string& name, double value, const std::string& unit) {
  nlohmann::ordered_json j = {{"name", name}, {"value", value}, {"unit", unit}};
  if (!std::isfinite(value)) j["value"] = nullptr;
  std::cout << j.dump() << "\n";
}

}  // namespace envmon::app
