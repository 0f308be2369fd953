#pragma once

#include <array>
#include <cstddef>

namespace envmon::transforms {

inline constexpr size_t kMaxMedianWindow = 63;

// The last `window` values of a series with their median and MAD, kept sorted incrementally:
// a push removes the evicted value and inserts the new one with a single shift of the values
// between their two positions (found by branch-free counting, as the sorted window is small).
// The insertion-order ring and the sorted copy share one array, next to the counters, so a push
// touches few cache lines: the cleaner holds one of these per series, hundreds per worker.
class RollingMedian {
 public:
  // Adds `v`, evicting the oldest value once `window` (3..kMaxMedianWindow) values are held.
  // `window` is the same in every call until clear().
  void push(double v, size_t window);
  void clear() { count_ = 0; }
  size_t count() const { return count_; }
  // Both need count() > 0.
  double median() const {
    const double* s = sorted();
    return count_ % 2 ? s[count_ / 2] : (s[count_ / 2 - 1] + s[count_ / 2]) / 2;
  }
  // Median of |x - median()|: the window's median absolute deviation (unscaled).
  double mad() const;

 private:
  const double* sorted() const { return values_.data(); }
  double* sorted() { return values_.data(); }
  double* ring() { return values_.data() + window_; }

  size_t count_ = 0;
  size_t window_ = 0;
  size_t head_ = 0;  // ring slot of the oldest value once full; of the next value before
  // [0, window_): the values sorted ascending; [window_, 2 window_): in insertion order.
  std::array<double, 2 * kMaxMedianWindow> values_{};
};

}  // namespace envmon::transforms
