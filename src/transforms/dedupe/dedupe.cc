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

DedupeVerdict DedupeSeries::check(int64_t t_ms, double value, int64_t window_ms) {
  const auto begin = points_.begin() + static_cast<std::ptrdiff_t>(head_);
  const bool appends = head_ == points_.size() || points_.back().first < t_ms;
  auto pos = appends ? points_.end()
                     : std::lower_bound(begin, points_.end(), t_ms,
                                        [](const auto& p, int64_t t) { return p.first < t; });
  if (pos != points_.end() && pos->first == t_ms) {
    const bool same = pos->second == value || (std::isnan(pos->second) && std::isnan(value));
    return same ? DedupeVerdict::duplicate : DedupeVerdict::conflict;
  }
  const int64_t newest = appends ? t_ms : points_.back().first;
  if (t_ms < newest - window_ms) return DedupeVerdict::fresh;
  points_.insert(pos, {t_ms, value});
  while (head_ < points_.size() && points_[head_].first < newest - window_ms) ++head_;
  if (head_ > 64 && head_ * 2 > points_.size()) {
    points_.erase(points_.begin(), points_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  return DedupeVerdict::fresh;
}

}  // namespace envmon::transforms
