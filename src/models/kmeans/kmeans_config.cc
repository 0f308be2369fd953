#include "models/kmeans/kmeans_config.h"

namespace envmon::models::kmeans {

const config::Schema<KMeansConfig>& kmeans_schema() {
  static const config::Schema<KMeansConfig> schema = [] {
    config::Schema<KMeansConfig> s("analytics.clusters");
    s.integer("k_min", &KMeansConfig::k_min, 2, "", 2, 1000, "Smallest number of clusters tried")
        .integer("k_max", &KMeansConfig::k_max, 8, "", 2, 1000,
                 "Largest number of clusters tried (at most stations - 1)")
        .integer("restarts", &KMeansConfig::restarts, 10, "", 1, 1000,
                 "k-means++ seedings per k; the fit with the lowest inertia wins")
        .integer("max_iterations", &KMeansConfig::max_iterations, 100, "", 1, 100000,
                 "Lloyd iterations per fit")
        .number("tolerance", &KMeansConfig::tolerance, 1e-6, "", 0, 1,
                "Converged when no centroid moves more than this (squared distance)")
        .integer("seed", &KMeansConfig::seed, 42, "", 0, 4294967295.0,
                 "Random seed: the same data and seed give the same clusters");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> kmeans_schema_docs() {
  return {{"analytics.clusters",
           "KMeans of stations by their daily and weekly profiles (envmon train clusters): "
           "k-means++ seeding, restarts, k by silhouette",
           kmeans_schema().specs()}};
}

Result<KMeansConfig> parse_kmeans_config(const config::Node& settings) {
  KMeansConfig out;
  ENVMON_TRY(config::fill(settings, kmeans_schema(), out));
  if (out.k_min > out.k_max)
    return settings.child("k_min").error(Errc::config_bad_value, "must not exceed k_max");
  return out;
}

}  // namespace envmon::models::kmeans
