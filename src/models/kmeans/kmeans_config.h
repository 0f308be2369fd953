#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::kmeans {

struct KMeansConfig {
  int64_t k_min = 2;
  int64_t k_max = 8;
  int64_t restarts = 10;          // k-means++ seedings per k; the lowest inertia wins
  int64_t max_iterations = 100;
  double tolerance = 1e-6;        // stop when no centroid moves more than this (squared)
  int64_t seed = 42;
};

const config::Schema<KMeansConfig>& kmeans_schema();
std::vector<config::SchemaDoc> kmeans_schema_docs();
Result<KMeansConfig> parse_kmeans_config(const config::Node& settings);

}  // namespace envmon::models::kmeans
