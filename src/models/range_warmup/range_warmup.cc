#include "models/range_warmup/range_warmup.h"

#include <algorithm>
#include <limits>

namespace envmon::models {

RangeWarmup::RangeWarmup(int64_t points)
    : points_(static_cast<size_t>(std::max<int64_t>(points, 1))) {}

std::optional<RangeWarmup::Range> RangeWarmup::add(double value) {
  values_.push_back(value);
  if (values_.size() < points_) return std::nullopt;
  const auto [lo, hi] = std::minmax_element(values_.begin(), values_.end());
  Range out{*lo, *hi, std::move(values_)};
  values_ = {};
  points_ = std::numeric_limits<size_t>::max();  // once: later values are the detector's own
  return out;
}

}  // namespace envmon::models
