#include "transforms/dedupe/dedupe.h"

#include <algorithm>
#include <cmath>

namespace envmon::transforms {

const config::Schema<DedupeConfig>& dedupe_schema() {
  static const config::Schema<DedupeConfig> schema = [] {
    config::Schema<DedupeConfig> s("processor");
    s.integer("dedupe_window_secs", &DedupeConfig::dedupe_window_secs, 259200, "s", 60, 30 * 86400,
              "How long (event time, behind a series' newest point) duplicates are recognised; "
              "cover the largest allowed_lateness_secs of any source");
    return s;
  }();
  return schema;
}

namespace {

template <typename Points>
auto first_at_or_after(Points& points, int64_t t_ms) {
  return std::lower_bound(points.begin(), points.end(), t_ms,
                          [](const auto& p, int64_t t) { return p.first < t; });
}

}  // namespace

DedupeVerdict DedupeSeries::check(int64_t t_ms, double value, int64_t window_ms) {
  window_ms_ = window_ms;
  if (t_ms > newest_ms_) {
    // In order (the normal case): nothing seen can equal it.
    newest_ms_ = t_ms;
    points_.emplace_back(t_ms, value);
    if (points_.size() >= compact_at_) drop_outside_window();
    prefetch_tail();
    return DedupeVerdict::fresh;
  }
  // Behind the window: nothing remembered there to compare with.
  if (t_ms < newest_ms_ - window_ms) return DedupeVerdict::fresh;
  // Stale points are all older than t_ms, so they never match and only shift the search.
  const auto pos = first_at_or_after(points_, t_ms);
  if (pos != points_.end() && pos->first == t_ms) {
    const bool same = pos->second == value || (std::isnan(pos->second) && std::isnan(value));
    return same ? DedupeVerdict::duplicate : DedupeVerdict::conflict;
  }
  points_.emplace(pos, t_ms, value);
  if (points_.size() >= compact_at_) drop_outside_window();
  return DedupeVerdict::fresh;
}

size_t DedupeSeries::size() const {
  if (points_.empty()) return 0;
  return static_cast<size_t>(points_.end() - first_at_or_after(points_, newest_ms_ - window_ms_));
}

// By the time this series comes back (after every other series of the worker) the buffer's
// tail has left the caches, and the append stalled on it: ask for the line of the next points
// now, so it is there then. Within capacity only (a prefetch never faults, but stays tidy).
void DedupeSeries::prefetch_tail() const {
  constexpr size_t kAhead = 64 / sizeof(std::pair<int64_t, double>);  // one cache line
  if (points_.size() + kAhead <= points_.capacity())
    __builtin_prefetch(points_.data() + points_.size() + kAhead, 1);
}

// Amortised O(1): the next compaction waits until the kept points have doubled.
void DedupeSeries::drop_outside_window() {
  points_.erase(points_.begin(), first_at_or_after(points_, newest_ms_ - window_ms_));
  compact_at_ = std::max(kMinCompactAt, 2 * points_.size());
}

}  // namespace envmon::transforms
