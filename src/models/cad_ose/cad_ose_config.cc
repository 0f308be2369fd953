#include "models/cad_ose/cad_ose_config.h"

namespace envmon::models::cad_ose {

const config::Schema<CadOseConfig>& cad_ose_schema() {
  static const config::Schema<CadOseConfig> schema = [] {
    config::Schema<CadOseConfig> s("cad_ose");
    s.integer("value_bits", &CadOseConfig::value_bits, 3, "bits", 1, 16,
              "A value's level across the range has 2^bits - 1 steps; each bit is one fact")
        .integer("max_left_facts", &CadOseConfig::max_left_facts, 7, "facts", 1, 1024,
                 "Largest matched left part from which a new (crossed) context is learnt")
        .integer("max_active_contexts", &CadOseConfig::max_active_contexts, 15, "contexts", 0,
                 1024, "Most-confirmed active contexts fed back into the next left part")
        .number("base_threshold", &CadOseConfig::base_threshold, 0.75, "score", 0, 1,
                "A raw score at or above it starts a rest period")
        .integer("rest_points", &CadOseConfig::rest_points, 30, "points", 0, 10000000,
                 "Points after a raw score >= base_threshold whose scores are reported as 0")
        .integer("fit_points", &CadOseConfig::fit_points, 750, "points", 1, 10000000,
                 "Without a given range, the first values: they set min..max and score 0");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> cad_ose_schema_docs(const std::string& section) {
  return {{section,
           "CAD OSE (contextual anomaly detector, open source edition): the share of predicted "
           "contexts that fail and of new contexts learnt at a value",
           cad_ose_schema().specs()}};
}

Result<CadOseConfig> parse_cad_ose_config(const config::Node& settings) {
  CadOseConfig out;
  ENVMON_TRY(config::fill(settings, cad_ose_schema(), out));
  return out;
}

}  // namespace envmon::models::cad_ose
