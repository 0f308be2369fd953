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
// window behind its newest point. Points arrive mostly in order: a point newer than everything
// seen is fresh without a lookup and is appended; only late points binary-search. Points that
// fell out of the window are dropped in bulk when the buffer has doubled, not one per call, so
// the in-order path touches only this object and the buffer's tail, whose next line it
// prefetches (the state of hundreds of series does not fit in the CPU caches: a per-call
// eviction read a cold line each time, and the append waited for its line).
class DedupeSeries {
 public:
  // `value` is the normalised value; NaN equals NaN. A point older than the window cannot be
  // checked and is reported fresh (the cleaner then flags it late). `window_ms` is the same in
  // every call (the configuration's).
  DedupeVerdict check(int64_t t_ms, double value, int64_t window_ms);
  // Points remembered within the window behind the newest one.
  size_t size() const;

 private:
  void drop_outside_window();
  void prefetch_tail() const;

  std::vector<std::pair<int64_t, double>> points_;  // sorted by time; may start with stale points
  int64_t newest_ms_ = INT64_MIN;
  int64_t window_ms_ = 0;
  size_t compact_at_ = kMinCompactAt;
  static constexpr size_t kMinCompactAt = 64;
};

}  // namespace envmon::transforms
