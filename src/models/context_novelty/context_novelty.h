#pragma once

#include <cstdint>
#include <deque>
#include <unordered_set>
#include <vector>

#include "models/context_novelty/context_novelty_config.h"
#include "models/range_warmup/range_warmup.h"

namespace envmon::models::context_novelty {

// A streaming novelty detector for one series, in the style of Numenta's CAD OSE leader: values
// are quantised into `levels` steps across the range of the first `fit_points` values (a value
// beyond it gets a level of its own), and the context of a value is the run of the last k
// levels ending at it, k = 1..max_context_points. A context seen before means the series has
// been here, in this order, before; the score is the share of the orders whose context is new:
//   score = 1 - (longest k whose context was seen) / max_context_points,
// so a never-seen level scores 1, a familiar level reached by a new path scores in between and
// a fully familiar path 0. Every context then joins the memory: repeating a new pattern makes
// it familiar, which is what a regime change should do. Memory is one hash per (value, order).
class ContextNovelty {
 public:
  explicit ContextNovelty(const ContextNoveltyConfig& config);
  // A given range instead of the fit values' (NAB's runner passes each file's own min..max,
  // which a live stream does not have); scores from the first value.
  ContextNovelty(const ContextNoveltyConfig& config, double min_value, double max_value);

  // The score of `value` against the memory before it, in [0, 1]; 0 while fitting and for
  // non-finite values (which leave the state alone).
  double update(double value);

  const ContextNoveltyConfig& config() const { return config_; }
  bool fitted() const { return fitted_; }
  size_t contexts() const { return seen_.size(); }

 private:
  void set_range(double min_value, double max_value);
  int64_t level_of(double value) const;
  double learn(int64_t level);  // scores the context ending at `level`, then remembers it

  ContextNoveltyConfig config_;
  RangeWarmup warmup_;
  bool fitted_ = false;
  double low_ = 0;
  double step_ = 1;
  std::deque<int64_t> recent_;  // the last max_context_points levels, newest first
  std::unordered_set<uint64_t> seen_;
};

}  // namespace envmon::models::context_novelty
