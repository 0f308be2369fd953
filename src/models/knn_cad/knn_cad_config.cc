#include "models/knn_cad/knn_cad_config.h"

namespace envmon::models::knn_cad {

const config::Schema<KnnCadConfig>& knn_cad_schema() {
  static const config::Schema<KnnCadConfig> schema = [] {
    config::Schema<KnnCadConfig> s("knn_cad");
    s.integer("window_points", &KnnCadConfig::window_points, 19, "points", 1, 1000,
              "Values per window: the vectors whose neighbours are compared")
        .integer("neighbours", &KnnCadConfig::neighbours, 27, "windows", 1, 10000,
                 "Nearest reference windows whose distances sum to the non-conformity")
        .integer("fit_points", &KnnCadConfig::fit_points, 750, "points", 4, 1000000,
                 "Reference windows and calibration scores kept (the first ones are not scored)");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> knn_cad_schema_docs(const std::string& section) {
  return {{section,
           "KNN conformal anomaly detection: conformal p-value of the k-nearest-neighbour "
           "distance of the recent window",
           knn_cad_schema().specs()}};
}

Result<KnnCadConfig> parse_knn_cad_config(const config::Node& settings) {
  KnnCadConfig out;
  ENVMON_TRY(config::fill(settings, knn_cad_schema(), out));
  if (out.neighbours + 1 >= out.fit_points) {
    return settings.child("neighbours")
        .error(Errc::config_bad_value, "must be below fit_points - 1");
  }
  return out;
}

}  // namespace envmon::models::knn_cad
