#include "models/context_novelty/context_novelty.h"

#include <algorithm>
#include <cmath>

namespace envmon::models::context_novelty {

namespace {

constexpr int64_t kMaxLevel = int64_t{1} << 40;  // far-off values share the outermost level

// splitmix64 finaliser: one well-mixed word per (context hash, next level).
uint64_t mix(uint64_t h, uint64_t v) {
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

ContextNovelty::ContextNovelty(const ContextNoveltyConfig& config)
    : config_(config), warmup_(config.fit_points) {
  config_.levels = std::max<int64_t>(config_.levels, 2);
  config_.max_context_points = std::max<int64_t>(config_.max_context_points, 1);
  config_.fit_points = std::max<int64_t>(config_.fit_points, 1);
}

double ContextNovelty::update(double value) {
  if (!std::isfinite(value)) return 0.0;
  if (fitted_) return learn(level_of(value));
  if (auto range = warmup_.add(value)) {
    set_range(range->min, range->max);
    for (double v : range->values) learn(level_of(v));
  }
  return 0.0;
}

ContextNovelty::ContextNovelty(const ContextNoveltyConfig& config, double min_value,
                               double max_value)
    : ContextNovelty(config) {
  set_range(min_value, max_value);
}

// The range spans the levels; a flat range gets a step from its magnitude, so the first real
// movement is new rather than a division by zero.
void ContextNovelty::set_range(double min_value, double max_value) {
  low_ = min_value;
  const double range = max_value - min_value;
  step_ = range > 0 ? range / static_cast<double>(config_.levels - 1)
                    : std::max(std::fabs(min_value) * 1e-3, 1e-9);
  fitted_ = true;
}

int64_t ContextNovelty::level_of(double value) const {
  const double level = std::floor((value - low_) / step_);
  return static_cast<int64_t>(std::clamp(level, -static_cast<double>(kMaxLevel),
                                         static_cast<double>(kMaxLevel)));
}

double ContextNovelty::learn(int64_t level) {
  recent_.push_front(level);
  if (static_cast<int64_t>(recent_.size()) > config_.max_context_points) recent_.pop_back();
  // Contexts grow backwards from the newest level: order k extends order k-1 by one older level.
  uint64_t h = 0;
  int64_t longest_seen = 0;
  bool still_seen = true;
  for (size_t k = 0; k < recent_.size(); ++k) {
    h = mix(h, static_cast<uint64_t>(recent_[k]));
    const bool is_new = seen_.insert(h).second;
    if (still_seen && !is_new) longest_seen = static_cast<int64_t>(k) + 1;
    still_seen = still_seen && !is_new;
  }
  return 1.0 - static_cast<double>(longest_seen) / static_cast<double>(config_.max_context_points);
}

}  // namespace envmon::models::context_novelty
