#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::context_novelty {

struct ContextNoveltyConfig {
  int64_t levels = 8;               // quantisation levels across the fitted range (CAD OSE: 3 bits)
  int64_t max_context_points = 6;   // longest run of recent levels whose novelty counts
  int64_t fit_points = 750;         // first values: they set the range and are not scored
};

const config::Schema<ContextNoveltyConfig>& context_novelty_schema();
std::vector<config::SchemaDoc> context_novelty_schema_docs(const std::string& section);
Result<ContextNoveltyConfig> parse_context_novelty_config(const config::Node& settings);

}  // namespace envmon::models::context_novelty
