#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/metric.h"
#include "models/kmeans/kmeans_config.h"
#include "registry/registry.h"
#include "store/store.h"

namespace envmon::analytics {

// `envmon train clusters`: stations clustered by the daily and weekly shape of one metric.
struct ClusterRequest {
  Metric metric = Metric::pm25;
  int64_t days = 28;        // profile window, back from each station's newest hourly aggregate
  int64_t min_hours = 24;   // a station with fewer hourly aggregates is left out (and said so)
  models::kmeans::KMeansConfig kmeans;
  Timestamp now{};          // computed_at of the labels
};

struct ClusterOutcome {
  std::string model_name;  // "station_clusters_pm25"
  int64_t version = 0;
  std::string run_id;
  size_t k = 0;
  double silhouette = 0;
  std::vector<std::pair<size_t, double>> tried;  // (k, mean silhouette)
  std::vector<store::ClusterLabel> labels;
  std::vector<std::string> skipped;  // "station: reason"
};

// Builds every station's profile from the store's hourly aggregates, chooses k by silhouette,
// logs the run (params, silhouette per k, the model and the labels as artifacts) to the
// registry, registers the model (alias "champion" moves to the new version) and stores the
// labels with Store::put_cluster_labels. A failure after the run started ends it FAILED.
Result<ClusterOutcome> train_station_clusters(store::Store& store, registry::Registry& registry,
                                              const ClusterRequest& request);

}  // namespace envmon::analytics
