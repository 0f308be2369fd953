#include "analytics/station_clusters.h"

#include <nlohmann/json.hpp>

#include "models/kmeans/kmeans.h"
#include "models/kmeans/station_profiles.h"

namespace envmon::analytics {

namespace {

constexpr const char* kExperiment = "station_clusters";
constexpr const char* kModelArtifact = "model.json";
constexpr const char* kLabelsArtifact = "labels.json";

// Whole history up to year 2100: the window is cut per station from its newest aggregate, so
// a simulated clock ahead of (or behind) the wall clock does not matter.
constexpr int64_t kFarFutureMs = 4102444800000;

struct Profiles {
  std::vector<std::string> stations;
  std::vector<double> features;  // row-major, kProfileDims per station
  std::vector<std::string> skipped;
};

Result<Profiles> load_profiles(store::Store& store, const ClusterRequest& req) {
  auto stations = store.stations();
  if (!stations.ok()) return stations.error();
  Profiles out;
  for (const auto& st : *stations) {
    auto aggs = store.aggregates(st.id, req.metric, from_unix_ms(0), from_unix_ms(kFarFutureMs));
    if (!aggs.ok()) return aggs.error();
    if (!aggs->empty()) {
      const Timestamp newest = aggs->back().bucket_start;
      const Timestamp from = newest - std::chrono::hours(24 * req.days);
      std::erase_if(*aggs, [&](const Aggregate& a) { return a.bucket_start <= from; });
    }
    auto p = models::kmeans::build_profile(st.id, st.timezone, *aggs,
                                           static_cast<size_t>(req.min_hours));
    if (!p.ok()) {
      out.skipped.push_back(p.error().message());
      continue;
    }
    out.stations.push_back(st.id);
    out.features.insert(out.features.end(), p->features.begin(), p->features.end());
  }
  return out;
}

std::string labels_json(const std::vector<store::ClusterLabel>& labels) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& l : labels)
    arr.push_back({{"station", l.station}, {"cluster", l.cluster}, {"silhouette", l.silhouette}});
  return arr.dump();
}

Status log_run(registry::Registry& reg, const std::string& run_id, const ClusterRequest& req,
               const Profiles& profiles, const models::kmeans::Selection& sel) {
  const std::pair<const char*, std::string> params[] = {
      {"metric", std::string(metric_id(req.metric))},
      {"days", std::to_string(req.days)},
      {"k_min", std::to_string(req.kmeans.k_min)},
      {"k_max", std::to_string(req.kmeans.k_max)},
      {"restarts", std::to_string(req.kmeans.restarts)},
      {"seed", std::to_string(req.kmeans.seed)},
      {"features", "hour_of_day_24+day_of_week_7_zscored"},
      {"stations", std::to_string(profiles.stations.size())}};
  for (const auto& [k, v] : params) ENVMON_TRY(reg.log_param(run_id, k, v));
  for (const auto& [k, s] : sel.tried)
    ENVMON_TRY(reg.log_metric(run_id, "silhouette_by_k", s, static_cast<int64_t>(k)));
  ENVMON_TRY(reg.log_metric(run_id, "silhouette", sel.silhouette));
  ENVMON_TRY(reg.log_metric(run_id, "k", static_cast<double>(sel.model.k)));
  ENVMON_TRY(reg.log_metric(run_id, "inertia", sel.model.inertia));
  return reg.log_artifact(run_id, kModelArtifact, sel.model.save());
}

}  // namespace

Result<ClusterOutcome> train_station_clusters(store::Store& store, registry::Registry& reg,
                                              const ClusterRequest& req) {
  auto profiles = load_profiles(store, req);
  if (!profiles.ok()) return profiles.error();
  auto sel = models::kmeans::select_k({profiles->features, models::kmeans::kProfileDims}, req.kmeans);
  if (!sel.ok())
    return sel.error().with_context(std::to_string(profiles->stations.size()) +
                                    " stations with enough " + std::string(metric_id(req.metric)) +
                                    " history");
  ClusterOutcome out;
  out.model_name = "station_clusters_" + std::string(metric_id(req.metric));
  auto exp = registry::get_or_create_experiment(reg, kExperiment);
  if (!exp.ok()) return exp.error();
  auto run_id = reg.create_run(*exp, "kmeans-" + std::string(metric_id(req.metric)));
  if (!run_id.ok()) return run_id.error();
  out.run_id = *run_id;
  const auto finish = [&](Status s) -> Status {
    (void)reg.end_run(*run_id, s.ok() ? registry::RunStatus::finished : registry::RunStatus::failed);
    return s;
  };
  if (Status s = log_run(reg, *run_id, req, *profiles, *sel); !s.ok()) return finish(s).error();
  out.k = sel->model.k;
  out.silhouette = sel->silhouette;
  out.tried = sel->tried;
  out.skipped = profiles->skipped;
  for (size_t i = 0; i < profiles->stations.size(); ++i)
    out.labels.push_back({profiles->stations[i], sel->labels[i], "", sel->silhouettes[i], req.now});
  if (Status s = reg.log_artifact(*run_id, kLabelsArtifact, labels_json(out.labels)); !s.ok())
    return finish(s).error();
  ENVMON_TRY(finish(ok_status()));
  auto version = reg.register_model(out.model_name, *run_id, kModelArtifact);
  if (!version.ok()) return version.error();
  out.version = *version;
  ENVMON_TRY(reg.set_alias(out.model_name, "champion", *version));
  for (auto& l : out.labels) l.model = out.model_name + "/" + std::to_string(*version);
  ENVMON_TRY(store.put_cluster_labels(out.labels));
  return out;
}

}  // namespace envmon::analytics
