#include "models/context_novelty/context_novelty_config.h"

namespace envmon::models::context_novelty {

const config::Schema<ContextNoveltyConfig>& context_novelty_schema() {
  static const config::Schema<ContextNoveltyConfig> schema = [] {
    config::Schema<ContextNoveltyConfig> s("context_novelty");
    s.integer("levels", &ContextNoveltyConfig::levels, 8, "levels", 2, 1024,
              "Quantisation levels spanning the min..max of the fit values; values beyond the "
              "range get levels of their own")
        .integer("max_context_points", &ContextNoveltyConfig::max_context_points, 6, "points", 1,
                 64, "Longest run of recent levels (the context) whose novelty is scored")
        .integer("fit_points", &ContextNoveltyConfig::fit_points, 750, "points", 2, 10000000,
                 "First values: they fix the quantisation range, seed the memory, score 0");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> context_novelty_schema_docs(const std::string& section) {
  return {{section,
           "Contextual novelty (CAD OSE style): the share of recent-level contexts ending at a "
           "value that were never seen before",
           context_novelty_schema().specs()}};
}

Result<ContextNoveltyConfig> parse_context_novelty_config(const config::Node& settings) {
  ContextNoveltyConfig out;
  ENVMON_TRY(config::fill(settings, context_novelty_schema(), out));
  return out;
}

}  // namespace envmon::models::context_novelty
