#include "models/robust_zscore/rolling_window.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace envmon::models::robust_zscore {

void RollingWindow::push(double x) {
  if (ring_.size() < capacity_) {
    ring_.push_back(x);
  } else {
    const double oldest = ring_[head_];
    sorted_.erase(std::lower_bound(sorted_.begin(), sorted_.end(), oldest));
    ring_[head_] = x;
    head_ = (head_ + 1) % capacity_;
  }
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), x), x);
}

double RollingWindow::median() const {
  const size_t n = sorted_.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  return n % 2 == 1 ? sorted_[n / 2] : 0.5 * (sorted_[n / 2 - 1] + sorted_[n / 2]);
}

// The deviations |x - m| of the sorted values form two ascending runs: leftwards from the
// median (m - x) and rightwards (x - m). Merging them up to the middle gives the MAD without
// sorting the deviations.
double RollingWindow::mad() const {
  const size_t n = sorted_.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double m = median();
  const size_t split = static_cast<size_t>(
      std::lower_bound(sorted_.begin(), sorted_.end(), m) - sorted_.begin());
  size_t left = split;  // next left deviation is sorted_[left - 1]
  size_t right = split;
  double prev = 0;
  double cur = 0;
  for (size_t k = 0; k <= n / 2; ++k) {
    const double dl = left > 0 ? m - sorted_[left - 1] : std::numeric_limits<double>::infinity();
    const double dr = right < n ? sorted_[right] - m : std::numeric_limits<double>::infinity();
    prev = cur;
    if (dl <= dr) {
      cur = dl;
      --left;
    } else {
      cur = dr;
      ++right;
    }
  }
  return n % 2 == 1 ? cur : 0.5 * (prev + cur);
}

std::vector<double> RollingWindow::oldest_first() const {
  std::vector<double> out;
  out.reserve(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) out.push_back(ring_[(head_ + i) % ring_.size()]);
  return out;
}

}  // namespace envmon::models::robust_zscore
