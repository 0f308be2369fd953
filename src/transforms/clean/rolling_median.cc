#include "transforms/clean/rolling_median.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace envmon::transforms {
namespace {

// Number of values below `x` (or at most `x`) in sorted[0, n): branch-free, so the compiler
// vectorises it and no branch mispredicts on where the value lands.
size_t count_below(const double* sorted, size_t n, double x) {
  size_t c = 0;
  for (size_t i = 0; i < n; ++i) c += sorted[i] < x ? 1 : 0;
  return c;
}
size_t count_at_most(const double* sorted, size_t n, double x) {
  size_t c = 0;
  for (size_t i = 0; i < n; ++i) c += sorted[i] <= x ? 1 : 0;
  return c;
}

}  // namespace

void RollingMedian::push(double v, size_t window) {
  if (count_ == 0 || window != window_) {
    window_ = window;
    count_ = 0;
    head_ = 0;
  }
  double* s = sorted();
  if (count_ < window_) {
    // Filling: insert after the values <= v.
    const size_t q = count_at_most(s, count_, v);
    for (size_t i = count_; i > q; --i) s[i] = s[i - 1];
    s[q] = v;
    ring()[count_++] = v;
    return;
  }
  // Full: the oldest value leaves from position p (the first equal to it), v enters at q (after
  // the values <= v once the oldest is gone); only the values between p and q move, by one.
  const double old = ring()[head_];
  const size_t p = count_below(s, count_, old);
  const size_t at_most_v = count_at_most(s, count_, v);
  const size_t q = old <= v ? at_most_v - 1 : at_most_v;
  if (q >= p) {
    for (size_t i = p; i < q; ++i) s[i] = s[i + 1];
  } else {
    for (size_t i = p; i > q; --i) s[i] = s[i - 1];
  }
  s[q] = v;
  ring()[head_] = v;
  if (++head_ == window_) head_ = 0;
}

double RollingMedian::mad() const {
  const double med = median();
  std::array<double, kMaxMedianWindow> dev{};
  const double* s = sorted();
  for (size_t i = 0; i < count_; ++i) dev[i] = std::abs(s[i] - med);
  const auto mid = dev.begin() + static_cast<std::ptrdiff_t>(count_ / 2);
  std::nth_element(dev.begin(), mid, dev.begin() + static_cast<std::ptrdiff_t>(count_));
  return *mid;
}

}  // namespace envmon::transforms
