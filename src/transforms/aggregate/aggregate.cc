#include "transforms/aggregate/aggregate.h"

#include <algorithm>

namespace envmon::transforms {

AddResult AggregateSeries::add(int64_t t_ms, double v, int64_t watermark_ms, int64_t lateness_ms,
                               HourBucket*& bucket) {
  const int64_t hour = floor_to(from_unix_ms(t_ms), Millis(kHourMs)).time_since_epoch().count();
  const int64_t hour_end = hour + kHourMs;
  if (watermark_ms != INT64_MIN && hour_end + lateness_ms <= watermark_ms) return AddResult::too_late;
  auto it = buckets_.end();
  if (!buckets_.empty() && buckets_.back().hour_ms == hour) {
    it = buckets_.end() - 1;  // the current hour: most values, no search
  } else if (buckets_.empty() || buckets_.back().hour_ms < hour) {
    buckets_.push_back(HourBucket{hour, v, v, v, 0, 0, false});
    it = buckets_.end() - 1;
  } else {
    it = std::lower_bound(buckets_.begin(), buckets_.end(), hour,
                          [](const HourBucket& b, int64_t h) { return b.hour_ms < h; });
    if (it == buckets_.end() || it->hour_ms != hour) {
      it = buckets_.insert(it, HourBucket{hour, v, v, v, 0, 0, false});
    }
  }
  HourBucket& b = *it;
  b.sum = b.count == 0 ? v : b.sum + v;
  b.min = b.count == 0 ? v : std::min(b.min, v);
  b.max = b.count == 0 ? v : std::max(b.max, v);
  ++b.count;
  bucket = &b;
  if (watermark_ms == INT64_MIN || hour_end > watermark_ms) return AddResult::pending;
  // The hour is closed: a first emission for an hour that had no data yet, else a revision.
  if (b.emitted) ++b.revision;
  b.emitted = true;
  return AddResult::emit;
}

void AggregateSeries::evict(int64_t watermark_ms, int64_t lateness_ms) {
  auto keep = std::find_if(buckets_.begin(), buckets_.end(), [&](const HourBucket& b) {
    return !b.emitted || b.hour_ms + kHourMs + lateness_ms > watermark_ms;
  });
  buckets_.erase(buckets_.begin(), keep);
}

}  // namespace envmon::transforms
