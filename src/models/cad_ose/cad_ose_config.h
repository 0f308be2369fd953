#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::cad_ose {

// Defaults are the published detector's (CAD OSE as NAB runs it), not tuned here.
struct CadOseConfig {
  int64_t value_bits = 3;            // a value becomes facts of its 3-bit level (8 levels)
  int64_t max_left_facts = 7;        // largest left semi-context a new context may be cut from
  int64_t max_active_contexts = 15;  // active contexts fed back as facts ("neurons")
  double base_threshold = 0.75;      // a raw score at or above it starts a rest period
  int64_t rest_points = 30;          // scores are reported as 0 for this long after one (NAB: P/5)
  int64_t fit_points = 750;          // without a given range: the first values set it
};

const config::Schema<CadOseConfig>& cad_ose_schema();
std::vector<config::SchemaDoc> cad_ose_schema_docs(const std::string& section);
Result<CadOseConfig> parse_cad_ose_config(const config::Node& settings);

}  // namespace envmon::models::cad_ose
