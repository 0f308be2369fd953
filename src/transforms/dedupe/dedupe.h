#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "config/schema.h"

namespace envmon::transforms {

struct DedupeConfig {
  int64_t dedupe_window_secs = 259200;
};
const config::Schema<DedupeConfig>& dedupe_schema();

enum class DedupeVerdict { fresh, duplicate, conflict };

// Remembers the (observed_at, value) pairs of one series (source, station, metric) within the
// window behind its newest point. Points arrive mostly in order, so the sorted buffer only
// appends; eviction advances a head index and compacts rarely (no per-point allocation).
class DedupeSeries {
 public:
  // `value` is the normalised value; NaN equals NaN. A point older than the window cannot be
  // checked and is reported fresh (the cleaner then flags it late).
  DedupeVerdict check(int64_t t_ms, double value, int64_t window_ms);
  size_t size() const { return points_.size() - head_; }

 private:
  std::vector<std::pair<int64_t, double>> points_;
  size_t head_ = 0;
};

}  // namespace envmon::transforms
