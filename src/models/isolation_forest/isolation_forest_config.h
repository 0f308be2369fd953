#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::isolation_forest {

struct IsolationForestConfig {
  int64_t trees = 100;        // number of isolation trees
  int64_t sample_size = 256;  // psi: rows drawn without replacement per tree
  int64_t max_depth = 0;      // 0: ceil(log2(psi)), the standard height limit
  int64_t seed = 42;          // the forest is a pure function of (data, config)
};

const config::Schema<IsolationForestConfig>& isolation_forest_schema();
std::vector<config::SchemaDoc> isolation_forest_schema_docs();
Result<IsolationForestConfig> parse_isolation_forest_config(const config::Node& settings);

}  // namespace envmon::models::isolation_forest
