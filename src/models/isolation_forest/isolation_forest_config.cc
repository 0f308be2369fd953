#include "models/isolation_forest/isolation_forest_config.h"

namespace envmon::models::isolation_forest {

const config::Schema<IsolationForestConfig>& isolation_forest_schema() {
  static const config::Schema<IsolationForestConfig> schema = [] {
    config::Schema<IsolationForestConfig> s("isolation_forest");
    s.integer("trees", &IsolationForestConfig::trees, 100, "trees", 1, 10000,
              "Isolation trees in the forest; more trees give steadier scores")
        .integer("sample_size", &IsolationForestConfig::sample_size, 256, "rows", 2, 1000000,
                 "Rows drawn without replacement to grow each tree (psi)")
        .integer("max_depth", &IsolationForestConfig::max_depth, 0, "levels", 0, 64,
                 "Height limit of each tree; 0 means ceil(log2(sample_size))")
        .integer("seed", &IsolationForestConfig::seed, 42, "", 0, 9.2e18,
                 "Random seed: the same data and seed give the same forest");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> isolation_forest_schema_docs() {
  // Trained by `envmon train anomaly`, whose --trees/--sample-size/--seed flags take these keys'
  // bounds; the stream scores with the registered model (analytics.isolation_forest_model).
  return {{"train.anomaly",
           "Isolation forest over feature vectors, trained by envmon train anomaly (flags "
           "--trees, --sample-size, --seed): anomaly score 2^(-E[h]/c(psi)) with per-feature "
           "explanations",
           isolation_forest_schema().specs()}};
}

Result<IsolationForestConfig> parse_isolation_forest_config(const config::Node& settings) {
  IsolationForestConfig out;
  ENVMON_TRY(config::fill(settings, isolation_forest_schema(), out));
  return out;
}

}  // namespace envmon::models::isolation_forest
