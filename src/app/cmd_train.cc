// `envmon train KIND ...`: fit a model offline and save it (model registry or file).
#include <fstream>
#include <iostream>

#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/forecast_cli.h"
#include "models/ensemble/ensemble.h"
#include "registry/file/file_registry_config.h"
#include "registry/registry.h"

namespace envmon::app {
namespace {

constexpr const char* kTrainUsage =
    "usage: envmon train forecast (--dataset FILE | --store-db PATH --station ID [--from DATE]\n"
    "                             [--to DATE]) --target pm25|temperature --model NAME\n"
    "                             (--registry DIR | --output FILE) [--horizon 24]\n"
    "                             [--covariates none|oracle] [--test-origins N] ...\n"
    "  NAME: additive, lstm, holt_winters, seasonal_naive or ensemble (weights from a\n"
    "  validation backtest). Backtest figures are logged with the model.\n"
    "       envmon train clusters ... (station profiles from the store; see --help)\n"
    "       envmon train anomaly ... (isolation forest on hourly features; see --help)\n";

// The model to save, fitted on the whole history; an ensemble takes the backtest's weights.
Result<std::unique_ptr<models::Forecaster>> final_model(const ForecastRun& run,
                                                        const eval::BacktestResult& backtest,
                                                        const std::string& name) {
  std::unique_ptr<models::Forecaster> model;
  if (name == "ensemble") {
    std::vector<std::unique_ptr<models::Forecaster>> members;
    std::vector<double> weights;
    for (const auto& s : backtest.scores) {
      if (s.model == "ensemble") continue;
      auto m = eval::make_model(s.model, run.options);
      if (!m.ok()) return m.error();
      members.push_back(std::move(*m));
      weights.push_back(s.weight);
    }
    model = std::make_unique<models::Ensemble>(std::move(members), std::move(weights));
  } else {
    auto m = eval::make_model(name, run.options);
    if (!m.ok()) return m.error();
    model = std::move(*m);
  }
  ENVMON_TRY(model->fit(run.history));
  return model;
}

Status log_to_registry(const std::string& dir, const ForecastRun& run, const std::string& name,
                       const eval::ModelScore& score, const std::string& bytes) {
  registry::file::FileRegistryConfig cfg;
  cfg.path = dir;
  auto reg = registry::file::make_file_registry(cfg);
  auto exp = registry::get_or_create_experiment(*reg, "forecast_" + run.target);
  if (!exp.ok()) return exp.error();
  auto run_id = reg->create_run(*exp, run.dataset.name + "-" + name);
  if (!run_id.ok()) return run_id.error();
  const std::map<std::string, std::string> params = {
      {"dataset", run.dataset.name}, {"layout", std::string(eval::layout_name(run.dataset.layout))},
      {"target", run.target}, {"model", name}, {"horizon", std::to_string(run.backtest.horizon)},
      {"covariates", run.options.covariates == eval::Covariates::oracle ? "oracle" : "none"},
      {"test_origins", std::to_string(run.backtest.test_origins)}};
  for (const auto& [k, v] : params) ENVMON_TRY(reg->log_param(*run_id, k, v));
  for (const auto& [k, v] : {std::pair{"mase", score.test.mase}, {"smape", score.test.smape},
                             {"coverage_80", score.test.coverage}, {"mae", score.test.mae},
                             {"rmse", score.test.rmse}}) {
    if (std::isfinite(v)) ENVMON_TRY(reg->log_metric(*run_id, k, v));
  }
  ENVMON_TRY(reg->log_artifact(*run_id, "model.json", bytes));
  ENVMON_TRY(reg->end_run(*run_id, registry::RunStatus::finished));
  auto version = reg->register_model("forecast_" + run.target + "_" + name, *run_id, "model.json");
  if (!version.ok()) return version.error();
  print_figure("registered_version", static_cast<double>(*version), "version");
  std::cerr << "registered forecast_" << run.target << "_" << name << " version " << *version
            << " (run " << *run_id << ") in " << dir << "\n";
  return ok_status();
}

int train_forecast(const std::vector<std::string>& words) {
  std::vector<std::string> flags = kForecastFlags;
  flags.insert(flags.end(), {"model", "registry", "output"});
  auto args = parse_args(words, flags, {});
  if (!args.ok()) return fail(args.error(), 2);
  const std::string name = args->get("model").value_or("");
  const auto registry_dir = args->get("registry");
  const auto output = args->get("output");
  if (name.empty() || (!registry_dir && !output)) {
    std::cerr << kTrainUsage;
    return 2;
  }
  std::vector<std::string> with_models = words;
  with_models.insert(with_models.end(), {"--models", name == "ensemble" ? "ensemble" : name});
  auto parsed = parse_args(with_models, flags, {});
  if (!parsed.ok()) return fail(parsed.error(), 2);
  auto run = parse_forecast_run(*parsed);
  if (!run.ok()) return fail(run.error(), 2);
  auto backtest = eval::run_backtest(run->history, model_entries(*run), run->backtest, run->ensemble);
  if (!backtest.ok()) return fail(backtest.error().with_context(run->dataset.path), 1);
  const eval::ModelScore& score = backtest->scores.back();
  print_figure("mase_" + name, score.test.mase, "ratio");
  print_figure("smape_" + name, score.test.smape, "%");
  print_figure("coverage_80_" + name, score.test.coverage, "fraction");
  auto model = final_model(*run, *backtest, name);
  if (!model.ok()) return fail(model.error(), 1);
  const std::string bytes = (*model)->save();
  if (output) {
    std::ofstream out(*output, std::ios::binary);
    out << bytes;
    if (!out.flush()) return fail(Error(Errc::io, *output + ": cannot write"), 1);
    std::cerr << "saved " << name << " model to " << *output << "\n";
  }
  if (registry_dir) {
    auto st = log_to_registry(*registry_dir, *run, name, score, bytes);
    if (!st.ok()) return fail(st.error(), 1);
  }
  return 0;
}

}  // namespace

int cmd_train(const std::vector<std::string>& args) {
  const std::string kind = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  if (kind == "forecast") return train_forecast(rest);
  if (kind == "clusters") return train_clusters(rest);
  if (kind == "anomaly") return train_anomaly(rest);
  std::cerr << kTrainUsage;
  return 2;
}

}  // namespace envmon::app
