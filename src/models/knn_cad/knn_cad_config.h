#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::knn_cad {

// Defaults of the KNN CAD paper's NAB entry (Burnaev and Ishimtsev 2016).
struct KnnCadConfig {
  int64_t window_points = 19;  // a point is the window of the last 19 values
  int64_t neighbours = 27;     // non-conformity: summed distance to the 27 nearest windows
  int64_t fit_points = 750;    // reference windows (and calibration scores) kept
};

const config::Schema<KnnCadConfig>& knn_cad_schema();
std::vector<config::SchemaDoc> knn_cad_schema_docs(const std::string& section);
Result<KnnCadConfig> parse_knn_cad_config(const config::Node& settings);

}  // namespace envmon::models::knn_cad
