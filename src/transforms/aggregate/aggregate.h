#pragma once

#include <cstdint>
#include <vector>

#include "core/time.h"

namespace envmon::transforms {

inline constexpr int64_t kHourMs = 3'600'000;

// One hour of one series. `emitted` once the watermark passed its end (or it was flushed).
struct HourBucket {
  int64_t hour_ms = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  int64_t count = 0;
  int32_t revision = 0;
  bool emitted = false;
  double mean() const { return count > 0 ? sum / static_cast<double>(count) : 0; }
};

enum class AddResult {
  pending,   // the hour is still open: nothing to emit yet
  emit,      // the hour was already closed: emit the bucket now (revision 0 or a revision)
  too_late,  // beyond allowed lateness: not aggregated
};

// Hourly aggregation of one (source, station, metric) series. Buckets are kept sorted by hour in
// a vector (they arrive nearly in order) and dropped once the watermark passes their end plus
// the allowed lateness, so state stays bounded by lateness / 1 h buckets per series.
class AggregateSeries {
 public:
  // Adds a good value. `watermark_ms` is the source's watermark before this reading.
  AddResult add(int64_t t_ms, double v, int64_t watermark_ms, int64_t lateness_ms, HourBucket*& bucket);

  // Calls emit(bucket) for every unemitted bucket whose hour ended at or before the watermark,
  // in hour order, then drops buckets that can no longer be revised.
  template <typename F>
  void close_until(int64_t watermark_ms, int64_t lateness_ms, F&& emit) {
    for (auto& b : buckets_) {
      if (b.hour_ms + kHourMs > watermark_ms) break;
      if (!b.emitted) {
        b.emitted = true;
        emit(b);
      }
    }
    evict(watermark_ms, lateness_ms);
  }
  // Emits every still-open bucket as provisional (shutdown).
  template <typename F>
  void flush_open(F&& emit) {
    for (auto& b : buckets_) {
      if (!b.emitted) {
        b.emitted = true;
        emit(b);
      }
    }
  }
  size_t size() const { return buckets_.size(); }

 private:
  void evict(int64_t watermark_ms, int64_t lateness_ms);
  std::vector<HourBucket> buckets_;
};

}  // namespace envmon::transforms
