// `envmon train anomaly`: an isolation forest over hourly feature vectors (src/features, the
// library the online stage uses), from a dataset file or a station in the store, registered in
// the model registry for `analytics.detector: isolation_forest`.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "analytics/analytics_config.h"
#include "analytics/feature_model.h"
#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/forecast_cli.h"
#include "models/isolation_forest/isolation_forest_config.h"

namespace envmon::app {
namespace {

constexpr const char* kAnomalyUsage =
    "usage: envmon train anomaly (--dataset FILE | --store-db PATH --station ID [--from DATE]\n"
    "                            [--to DATE]) [--registry DIR | --config FILE [--data-dir DIR]]\n"
    "                            [--target pm25] [--features value,lag_1,...] [--name NAME]\n"
    "                            [--trees 100] [--sample-size 256] [--seed 42]\n"
    "  Trains on every complete hourly feature vector and registers NAME (default\n"
    "  anomaly_iforest_<target>, alias champion), the model the analytics stage loads.\n";

Result<features::Raw> parse_target(const std::string& name) {
  for (size_t i = 0; i < features::kRawCount; ++i) {
    const auto raw = static_cast<features::Raw>(i);
    if (features::raw_name(raw) == name) return raw;
  }
  return Error(Errc::invalid_argument, "--target: unknown column '" + name + "'");
}

Result<analytics::FeatureModelTraining> training_from(const Args& args) {
  analytics::FeatureModelTraining t = analytics::default_training();
  auto target = parse_target(args.get("target").value_or("pm25"));
  if (!target.ok()) return target.error();
  t.spec.target = *target;
  if (auto list = args.get("features")) {
    t.columns.clear();
    std::stringstream in(*list);
    for (std::string name; std::getline(in, name, ',');) {
      if (!name.empty()) t.columns.push_back(name);
    }
  }
  // A flag's bounds are those of its key in the isolation_forest schema table
  // (--sample-size: sample_size), so the command and a config file accept the same values.
  const auto specs = models::isolation_forest::isolation_forest_schema().specs();
  auto num = [&](const char* flag, int64_t& target_field) -> Status {
    std::string key = flag;
    std::replace(key.begin(), key.end(), '-', '_');
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const config::FieldSpec& f) { return f.key == key; });
    if (spec == specs.end()) return Error(Errc::internal, "no isolation_forest key " + key);
    auto v = args.number(flag, static_cast<double>(target_field), spec->min, spec->max);
    if (!v.ok()) return v.error();
    target_field = static_cast<int64_t>(*v);
    return ok_status();
  };
  const auto known = features::feature_names(t.spec);
  for (const auto& c : t.columns) {
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      return Error(Errc::invalid_argument, "--features: unknown feature '" + c + "'");
    }
  }
  ENVMON_TRY(num("trees", t.forest.trees));
  ENVMON_TRY(num("sample-size", t.forest.sample_size));
  ENVMON_TRY(num("seed", t.forest.seed));
  return t;
}

}  // namespace

int train_anomaly(const std::vector<std::string>& words) {
  auto args = parse_args(words, {"dataset", "store-db", "station", "from", "to", "config",
                                 "data-dir", "registry", "target", "features", "name", "trees",
                                 "sample-size", "seed", "log-level"}, {});
  if (!args.ok()) {
    std::cerr << kAnomalyUsage;
    return fail(args.error(), 2);
  }
  auto app = load_app_config(*args, false);
  if (!app.ok()) return fail(app.error(), 2);
  if (auto dir = args->get("data-dir")) app->data_dir = *dir;
  // The threshold the stage reports at; a malformed analytics section is an error, not 0.6.
  auto acfg = analytics::parse_analytics_config(app->analytics);
  if (!acfg.ok()) return fail(acfg.error(), 2);
  if (Status s = apply_log_level(args->get("log-level").value_or("warn")); !s.ok()) return fail(s.error(), 2);
  auto training = training_from(*args);
  if (!training.ok()) return fail(training.error(), 2);
  auto dataset = read_training_dataset(*args);
  if (!dataset.ok()) {
    std::cerr << kAnomalyUsage;
    return fail(dataset.error(), 2);
  }
  auto trained = analytics::train_feature_model({dataset->frame}, *training);
  if (!trained.ok()) return fail(trained.error().with_context(dataset->path), 1);
  auto reg = open_registry(*args, *app);
  if (!reg.ok()) return fail(reg.error(), 2);
  const std::string name = args->get("name").value_or(
      "anomaly_iforest_" + std::string(features::raw_name(training->spec.target)));
  auto registered = analytics::register_feature_model(**reg, name, *trained, dataset->name);
  if (!registered.ok()) return fail(registered.error(), 1);

  const auto scores = analytics::score_frame(trained->model, dataset->frame);
  const double threshold = acfg->isolation_forest_threshold;
  size_t scored = 0, above = 0;
  for (double s : scores) {
    if (!std::isfinite(s)) continue;
    ++scored;
    above += s >= threshold ? 1 : 0;
  }
  for (const auto& d : trained->dropped) std::cerr << "left out feature " << d << " (mostly missing)\n";
  print_figure("training_hours", static_cast<double>(trained->rows), "hours");
  print_figure("features", static_cast<double>(trained->model.columns.size()), "features");
  print_figure("anomalous_hours_share", scored ? static_cast<double>(above) / scored : 0, "fraction");
  print_figure("registered_version", static_cast<double>(registered->version), "version");
  std::cerr << "registered " << name << " version " << registered->version << " (run "
            << registered->run_id << ", alias champion); features:";
  for (const auto& c : trained->model.columns) std::cerr << " " << c;
  std::cerr << "\n";
  return 0;
}

}  // namespace envmon::app
