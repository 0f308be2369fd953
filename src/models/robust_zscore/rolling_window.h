#pragma once

#include <cstddef>
#include <vector>

namespace envmon::models::robust_zscore {

// The last `capacity` values of a stream with their median and MAD. A ring keeps arrival order
// (what to evict); a sorted copy answers the order statistics. push is O(capacity) memmove of
// a few hundred doubles at most, median O(1), MAD O(capacity / 2): constant per point for a
// fixed window, and exact (no sketch error to explain away in a test).
class RollingWindow {
 public:
  explicit RollingWindow(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void push(double x);
  size_t size() const { return sorted_.size(); }
  size_t capacity() const { return capacity_; }
  bool empty() const { return sorted_.empty(); }
  double median() const;  // NaN when empty
  double mad() const;     // median of |x - median|; NaN when empty
  std::vector<double> oldest_first() const;

 private:
  size_t capacity_;
  std::vector<double> ring_;  // arrival order once full: ring_[head_] is the oldest
  size_t head_ = 0;
  std::vector<double> sorted_;
};

}  // namespace envmon::models::robust_zscore
