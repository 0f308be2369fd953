#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "models/artime/artime_config.h"
#include "models/artime/dual_vigilance_art.h"
#include "models/range_warmup/range_warmup.h"

namespace envmon::models::artime {

// ARTime (M. Hampton 2021; 74.9 on NAB): an independent implementation of its algorithm,
// written from its published description and reference sources (no code copied).
//
//  1. Downsample: every `step` points, the point of the last `step` furthest from a moving
//     average (spikes kept, small ones flattened to the mean), scaled to the range and
//     quantised to `levels`; a level near the running median snaps to it.
//  2. Features: the last `window` downsampled levels, and their Haar wavelet coefficients
//     (shape, scaled to [0, 1]).
//  3. A dual-vigilance fuzzy ART learns the feature windows. The learning period's windows are
//     learnt in a batch, after a pass over them (most typical last) that sets the starting
//     vigilance. Afterwards a window that founds a new cluster is an anomaly, unless it
//     follows another new cluster or anomaly closely and is not clearly less similar; its
//     score is how far its match fell below the two vigilances, plus how unlike the current
//     level is. The vigilances follow the recent matches (a trend window of half the
//     learning period, and just after each anomaly).
// Every other point scores 0.
class Artime {
 public:
  // The range is the min..max of the first probation_points values widened by range_margin of
  // their span on each side; the values are then replayed (causal). Values beyond the range
  // take the nearest end level.
  explicit Artime(const ArtimeConfig& config);
  // A given range (NAB's runner passes each file's own min..max, which a live stream lacks).
  Artime(const ArtimeConfig& config, double min_value, double max_value);

  // The score of `value`, in [0, 1]; non-finite values score 0 and leave the state alone.
  double update(double value);

  bool fitted() const { return fitted_; }
  size_t categories() const { return art_.categories(); }

 private:
  void set_range(double min_value, double max_value);
  double process(double value);
  double downsample() ;
  double snap_to_median(int64_t level);
  void make_features(double level_value);
  double classify();
  void learn_batch();
  double detect(const std::vector<double>& features, size_t i);
  void adapt_vigilance(size_t i);
  double initial_vigilance() const;
  double confidence(double match, double energy) const;

  ArtimeConfig config_;
  size_t step_ = 1, trend_ = 1, mask_ = 12, window_ = 8;
  bool fitted_ = false;
  RangeWarmup warmup_;
  double min_ = 0, range_ = 0;
  DualVigilanceArt art_;
  size_t point_ = 0;            // points seen (1-based after the increment)
  size_t steps_ = 0;            // downsampled steps (1-based after the increment)
  std::deque<double> recent_;   // the last `step` points
  double moving_average_ = 0;
  std::vector<int64_t> level_counts_;
  int64_t median_level_ = 0, below_median_ = 0, above_median_ = 0;
  std::deque<double> levels_window_;
  std::vector<double> features_, dw_, wavelet_;
  std::vector<std::vector<double>> learning_features_;
  // Detection state.
  size_t last_anomaly_ = 0, last_vigilance_update_ = 0, steps_without_new_ = 0;
  double last_anomaly_match_ = 0;
  bool mask_after_new_ = false;
  std::vector<double> anomaly_matches_;  // the match of each anomaly (its window's lowest)
  double match_mean_ = 0;
  size_t match_count_ = 0;
  std::deque<double> match_window_, gap_window_;
};

}  // namespace envmon::models::artime
