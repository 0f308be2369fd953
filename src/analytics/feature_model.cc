#include "analytics/feature_model.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "registry/model_format.h"

namespace envmon::analytics {
namespace {

namespace iforest = models::isolation_forest;
using features::Raw;

constexpr std::string_view kKind = "feature_iforest";
constexpr int64_t kVersion = 1;
constexpr const char* kModelArtifact = "model.json";
constexpr const char* kForestArtifact = "forest.bin";

constexpr std::pair<Raw, Metric> kTargets[] = {
    {Raw::pm25, Metric::pm25}, {Raw::temperature, Metric::temperature},
    {Raw::humidity, Metric::humidity}, {Raw::pressure, Metric::pressure},
    {Raw::wind_speed, Metric::wind_speed}, {Raw::precipitation, Metric::precipitation}};

Result<Raw> parse_target(const std::string& name) {
  for (const auto& [raw, metric] : kTargets) {
    if (raw_name(raw) == name) return raw;
  }
  return Error(Errc::decode_field, "feature model: unknown target '" + name + "'");
}

bool is_target_feature(const std::string& name) {
  return name == "value" || name.rfind("lag_", 0) == 0 || name.rfind("roll_", 0) == 0;
}

// Positions of `columns` in feature_names(spec); an unknown name is an error naming it.
Result<std::vector<size_t>> column_index(const features::FeatureSpec& spec,
                                         const std::vector<std::string>& columns) {
  const auto names = features::feature_names(spec);
  std::vector<size_t> index;
  for (const auto& c : columns) {
    const auto it = std::find(names.begin(), names.end(), c);
    if (it == names.end()) return Error(Errc::invalid_argument, "unknown feature '" + c + "'");
    index.push_back(static_cast<size_t>(it - names.begin()));
  }
  return index;
}

std::string model_json(const FeatureModel& m) {
  nlohmann::json body = {{"target", std::string(raw_name(m.spec.target))},
                         {"lags", m.spec.lags},
                         {"windows", m.spec.windows},
                         {"max_fill_hours", m.spec.max_fill_hours},
                         {"columns", m.columns},
                         {"forest_artifact", kForestArtifact}};
  return registry::wrap_model(kKind, kVersion, body.dump());
}

Status parse_model_json(const std::string& bytes, FeatureModel& m) {
  auto env = registry::unwrap_model(bytes, kKind, kVersion);
  if (!env.ok()) return env.error();
  try {
    const auto body = nlohmann::json::parse(env->body_json);
    auto target = parse_target(body.at("target").get<std::string>());
    if (!target.ok()) return target.error();
    m.spec.target = *target;
    m.spec.lags = body.at("lags").get<std::vector<int>>();
    m.spec.windows = body.at("windows").get<std::vector<int>>();
    m.spec.max_fill_hours = body.at("max_fill_hours").get<int>();
    m.columns = body.at("columns").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return Error(Errc::decode_field, std::string("feature model: ") + e.what());
  }
  auto index = column_index(m.spec, m.columns);
  if (!index.ok()) return index.error().with_context("feature model");
  m.index = std::move(*index);
  return ok_status();
}

}  // namespace

Metric FeatureModel::target() const {
  for (const auto& [raw, metric] : kTargets) {
    if (raw == spec.target) return metric;
  }
  return Metric::pm25;
}

size_t FeatureModel::warmup_hours() const {
  int longest = 0;
  for (int h : spec.lags) longest = std::max(longest, h);
  for (int h : spec.windows) longest = std::max(longest, h);
  return static_cast<size_t>(longest);
}

bool FeatureModel::select(const double* all_features, std::vector<double>& out) const {
  out.resize(index.size());
  for (size_t i = 0; i < index.size(); ++i) {
    out[i] = all_features[index[i]];
    if (!std::isfinite(out[i])) return false;
  }
  return true;
}

std::vector<std::string> FeatureModel::display_names() const {
  const std::string metric(metric_id(target()));
  std::vector<std::string> out;
  for (const auto& c : columns) {
    out.push_back(c == "value" ? metric : is_target_feature(c) ? metric + "_" + c : c);
  }
  return out;
}

FeatureModelTraining default_training() {
  FeatureModelTraining t;
  t.spec.lags = {1, 24};
  t.spec.windows = {24};
  t.columns = {"value", "lag_1", "roll_mean_24", "roll_std_24"};
  return t;
}

Result<TrainedFeatureModel> train_feature_model(const std::vector<features::RawFrame>& frames,
                                                const FeatureModelTraining& training) {
  std::vector<features::FeatureMatrix> matrices;
  size_t hours = 0;
  for (const auto& f : frames) {
    matrices.push_back(features::compute_features(f, training.spec));
    hours += f.size();
  }
  auto all_index = column_index(training.spec, training.columns);
  if (!all_index.ok()) return all_index.error();
  TrainedFeatureModel out;
  out.model.spec = training.spec;
  for (size_t c = 0; c < training.columns.size(); ++c) {
    size_t present = 0;
    for (const auto& m : matrices) {
      for (size_t r = 0; r < m.rows; ++r) present += std::isfinite(m.at(r, (*all_index)[c])) ? 1 : 0;
    }
    auto& keep = 2 * present >= hours ? out.model.columns : out.dropped;
    keep.push_back(training.columns[c]);
    if (2 * present >= hours) out.model.index.push_back((*all_index)[c]);
  }
  if (out.model.columns.empty()) {
    return Error(Errc::invalid_argument, "no feature is present in half the hours");
  }
  std::vector<double> x, row;
  for (const auto& m : matrices) {
    for (size_t r = out.model.warmup_hours(); r < m.rows; ++r) {
      if (out.model.select(&m.values[r * m.names.size()], row)) x.insert(x.end(), row.begin(), row.end());
    }
  }
  out.rows = x.size() / out.model.columns.size();
  auto forest = iforest::IsolationForest::fit({x, out.model.columns.size()}, training.forest);
  if (!forest.ok()) return forest.error().with_context("training on " + std::to_string(out.rows) + " hours");
  out.model.forest = std::move(*forest);
  return out;
}

std::vector<double> score_frame(const FeatureModel& model, const features::RawFrame& frame) {
  const auto m = features::compute_features(frame, model.spec);
  std::vector<double> scores(m.rows, features::kNaN), row, x;
  std::vector<size_t> at;  // the hour of each complete row in x
  for (size_t r = model.warmup_hours(); r < m.rows; ++r) {
    if (!model.select(&m.values[r * m.names.size()], row)) continue;
    x.insert(x.end(), row.begin(), row.end());
    at.push_back(r);
  }
  // One batch: the same bits as scoring row by row (score_batch's contract).
  std::vector<double> batch(at.size());
  model.forest.score_batch({x, model.columns.size()}, batch);
  for (size_t i = 0; i < at.size(); ++i) scores[at[i]] = batch[i];
  return scores;
}

Result<RegisteredFeatureModel> register_feature_model(registry::Registry& reg,
                                                      const std::string& name,
                                                      const TrainedFeatureModel& trained,
                                                      const std::string& data_name) {
  auto exp = registry::get_or_create_experiment(reg, "anomaly_iforest");
  if (!exp.ok()) return exp.error();
  auto run = reg.create_run(*exp, name + "-" + data_name);
  if (!run.ok()) return run.error();
  auto logged = [&]() -> Status {
    const auto& f = trained.model.forest;
    for (const auto& [k, v] : std::map<std::string, std::string>{
             {"data", data_name}, {"target", std::string(raw_name(trained.model.spec.target))},
             {"trees", std::to_string(f.trees())}, {"sample_size", std::to_string(f.sample_size())}}) {
      ENVMON_TRY(reg.log_param(*run, k, v));
    }
    ENVMON_TRY(reg.log_metric(*run, "training_hours", static_cast<double>(trained.rows)));
    ENVMON_TRY(reg.log_artifact(*run, kForestArtifact, f.save()));
    ENVMON_TRY(reg.log_artifact(*run, kModelArtifact, model_json(trained.model)));
    return ok_status();
  }();
  if (!logged.ok()) {
    (void)reg.end_run(*run, registry::RunStatus::failed);
    return logged.error();
  }
  ENVMON_TRY(reg.end_run(*run, registry::RunStatus::finished));
  auto version = reg.register_model(name, *run, kModelArtifact);
  if (!version.ok()) return version.error();
  ENVMON_TRY(reg.set_alias(name, "champion", *version));
  return RegisteredFeatureModel{*run, *version};
}

Result<std::shared_ptr<const FeatureModel>> load_feature_model(registry::Registry& reg,
                                                               const std::string& name,
                                                               const std::string& version_or_alias) {
  const std::string what = "anomaly model " + name + "@" + version_or_alias;
  auto mv = registry::resolve_model(reg, name, version_or_alias);
  if (!mv.ok()) return mv.error().with_context(what);
  auto bytes = registry::load_model_bytes(reg, *mv);
  if (!bytes.ok()) return bytes.error().with_context(what);
  auto model = std::make_shared<FeatureModel>();
  if (Status s = parse_model_json(*bytes, *model); !s.ok()) return s.error().with_context(what);
  auto forest_bytes = reg.load_artifact(mv->run_id, kForestArtifact);
  if (!forest_bytes.ok()) return forest_bytes.error().with_context(what);
  auto forest = iforest::IsolationForest::load(*forest_bytes);
  if (!forest.ok()) return forest.error().with_context(what);
  if (forest->features() != model->columns.size()) {
    return Error(Errc::decode_field, what + ": the forest has " + std::to_string(forest->features()) +
                                          " features, model.json names " +
                                          std::to_string(model->columns.size()));
  }
  model->forest = std::move(*forest);
  return std::shared_ptr<const FeatureModel>(std::move(model));
}

}  // namespace envmon::analytics
