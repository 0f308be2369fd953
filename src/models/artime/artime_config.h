#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::models::artime {

// Defaults are the published detector's (ARTime as NAB runs it), not tuned here.
struct ArtimeConfig {
  int64_t window = 8;                  // downsampled values per feature window (a power of two)
  int64_t windows_per_probation = 13;  // downsampling step = probation / (window x this)
  int64_t levels = 80;                 // quantisation levels of the value range
  double median_snap = 0.075;          // a level this close (in range units) to the median snaps
  double initial_vigilance = 0.80;     // vigilance of the pass that picks the starting vigilance
  int64_t probation_points = 750;      // learning period (NAB: its probationary rows)
  // Causal range only (no given min..max): the learnt min..max widened by this share of its
  // span on each side, so later values beyond it keep levels of their own (not in ARTime).
  double range_margin = 0.5;
};

const config::Schema<ArtimeConfig>& artime_schema();
std::vector<config::SchemaDoc> artime_schema_docs(const std::string& section);
Result<ArtimeConfig> parse_artime_config(const config::Node& settings);

}  // namespace envmon::models::artime
