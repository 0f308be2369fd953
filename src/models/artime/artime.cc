#include "models/artime/artime.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace envmon::models::artime {

namespace {

// The published detector's constants (not tuned here).
constexpr double kSmallSpike = 0.1;         // a spike within 10% of the mean is flattened
constexpr double kMaxUpperVigilance = 0.97;
constexpr double kLowerRise = 0.19;         // share of the gap to the trend minimum climbed
constexpr double kGapFloor = 0.05, kGapCap = 0.37, kMinDrop = 0.01;
constexpr double kBelowLastMasked = 0.90, kBelowLast = 0.70;
constexpr double kUpperWeight = 0.35, kLowerWeight = 0.65, kEnergyWeight = 1.5;

size_t power_of_two_at_most(int64_t n) {
  size_t p = 2;
  while (static_cast<int64_t>(p * 2) <= n) p *= 2;
  return p;
}

// Full Haar transform in place: [approximation, coarsest detail, ..., finest details], a detail
// being (second - first) / sqrt 2 (the sign of the wavelet library the published detector used).
void haar(std::vector<double>& x, std::vector<double>& tmp) {
  for (size_t n = x.size(); n > 1; n /= 2) {
    const size_t half = n / 2;
    for (size_t k = 0; k < half; ++k) {
      tmp[k] = (x[2 * k] + x[2 * k + 1]) / std::sqrt(2.0);
      tmp[half + k] = (x[2 * k + 1] - x[2 * k]) / std::sqrt(2.0);
    }
    std::copy(tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(n), x.begin());
  }
}

// Shifts to a minimum of 0 and scales to a maximum of 1 (a flat vector stays 0).
void unit_scale(std::vector<double>& x) {
  const double lo = *std::min_element(x.begin(), x.end());
  for (double& v : x) v -= lo;
  const double hi = *std::max_element(x.begin(), x.end());
  if (hi != 0) {
    for (double& v : x) v /= hi;
  }
}

// Close to cosine similarity; a zero vector is as similar as the other is short.
double similarity(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  na = std::sqrt(na);
  nb = std::sqrt(nb);
  if (na == 0) return 1 - nb;
  if (nb == 0) return 1 - na;
  return dot / (na * nb);
}

}  // namespace

Artime::Artime(const ArtimeConfig& config)
    : config_(config),
      warmup_(config.probation_points),
      art_(2 * power_of_two_at_most(config.window)) {
  window_ = power_of_two_at_most(config_.window);
  int64_t probation = std::max<int64_t>(config_.probation_points, 2);
  probation -= probation % 2;
  const auto per_window =
      static_cast<int64_t>(window_) * std::max<int64_t>(config_.windows_per_probation, 1);
  step_ = static_cast<size_t>(std::max<int64_t>(1, probation / per_window));
  trend_ = std::max<size_t>(1, static_cast<size_t>(probation) / step_);
  mask_ = window_ * 3 / 2;
  config_.levels = std::max<int64_t>(config_.levels, 1);
  recent_.assign(step_, 0.0);
  match_window_.assign(trend_ / 2 + 1, 1.0);
  gap_window_.assign(trend_ + 1, 0.0);
  levels_window_.assign(window_, 0.0);
  level_counts_.assign(static_cast<size_t>(config_.levels) + 1, 0);
  features_.assign(2 * window_, 0.0);
  dw_.assign(window_, 0.0);
  wavelet_.assign(window_, 0.0);
}

Artime::Artime(const ArtimeConfig& config, double min_value, double max_value) : Artime(config) {
  set_range(min_value, max_value);
}

void Artime::set_range(double min_value, double max_value) {
  min_ = min_value;
  range_ = max_value - min_value;
  fitted_ = true;
}

double Artime::update(double value) {
  if (!std::isfinite(value)) return 0.0;
  if (fitted_) return process(value);
  if (auto range = warmup_.add(value)) {
    // Headroom: a stream's later values often leave the learnt range (trends, level shifts);
    // clamped, they would all share the end level and lose their shape.
    const double margin = config_.range_margin * (range->max - range->min);
    set_range(range->min - margin, range->max + margin);
    for (double v : range->values) process(v);  // the learning period scores 0
  }
  return 0.0;
}

double Artime::process(double value) {
  ++point_;
  recent_.pop_front();
  recent_.push_back(value);
  if (point_ % step_ != 0) return 0.0;
  ++steps_;
  make_features(downsample());
  return classify();
}

// The step's representative point, its level, snapped to the running median when close.
double Artime::downsample() {
  const double mean =
      std::accumulate(recent_.begin(), recent_.end(), 0.0) / static_cast<double>(recent_.size());
  const auto [lo, hi] = std::minmax_element(recent_.begin(), recent_.end());
  if (steps_ == 1) moving_average_ = mean;
  moving_average_ = (moving_average_ + mean) / 2;
  double ds = std::fabs(*hi - moving_average_) < std::fabs(*lo - moving_average_) ? *lo : *hi;
  if (std::fabs(ds - mean) < kSmallSpike * mean) ds = mean;
  ds -= min_;
  if (range_ != 0) ds /= range_;
  const double level = std::nearbyint(ds * static_cast<double>(config_.levels));
  const double top = static_cast<double>(config_.levels);
  return snap_to_median(static_cast<int64_t>(std::clamp(level, 0.0, top)));
}

// A running median of the levels (moved one occupied level at a time, close to exact).
double Artime::snap_to_median(int64_t level) {
  const auto levels = static_cast<int64_t>(level_counts_.size()) - 1;
  ++level_counts_[static_cast<size_t>(level)];
  const auto mid = static_cast<int64_t>(steps_ / 2);
  if (steps_ == 1) median_level_ = level;
  if (median_level_ > level) ++below_median_;
  if (median_level_ < level) ++above_median_;
  const auto count = [&](int64_t l) { return level_counts_[static_cast<size_t>(l)]; };
  if (mid < above_median_) {
    below_median_ += count(median_level_);
    ++median_level_;
    while (median_level_ < levels && count(median_level_) == 0) ++median_level_;
    above_median_ -= count(median_level_);
  } else if (mid < below_median_) {
    above_median_ += count(median_level_);
    --median_level_;
    while (median_level_ > 0 && count(median_level_) == 0) --median_level_;
    below_median_ -= count(median_level_);
  }
  const double scale = static_cast<double>(config_.levels);
  const double median = static_cast<double>(median_level_) / scale;
  const double ds = static_cast<double>(level) / scale;
  return std::fabs(ds - median) < config_.median_snap ? median : ds;
}

// [Haar coefficients of the window's shape, scaled to 0..1 ; the window's levels], or zeros
// until the window is full.
void Artime::make_features(double level_value) {
  levels_window_.pop_front();
  levels_window_.push_back(level_value);
  std::fill(features_.begin(), features_.end(), 0.0);
  if (steps_ < window_) return;
  std::copy(levels_window_.begin(), levels_window_.end(), dw_.begin());
  unit_scale(dw_);
  haar(dw_, wavelet_);
  unit_scale(dw_);
  std::copy(dw_.begin(), dw_.end(), features_.begin());
  std::copy(levels_window_.begin(), levels_window_.end(),
            features_.begin() + static_cast<std::ptrdiff_t>(window_));
}

double Artime::classify() {
  if (steps_ > trend_) return detect(features_, steps_);
  learning_features_.push_back(features_);
  if (steps_ == trend_) learn_batch();
  return 0.0;
}

// The learning period at once: the starting vigilance, then every window in order.
void Artime::learn_batch() {
  const double rho = initial_vigilance();
  art_.set_vigilance(rho, rho);
  for (size_t i = 0; i < learning_features_.size(); ++i) detect(learning_features_[i], i + 1);
  learning_features_.clear();
  learning_features_.shrink_to_fit();
}

// The mean best match of the later half of the full learning windows, presented from the least
// to the most typical (summed similarity to the others) to a network at initial_vigilance.
double Artime::initial_vigilance() const {
  if (learning_features_.size() < window_) return config_.initial_vigilance;
  const std::vector<std::vector<double>> xs(
      learning_features_.begin() + static_cast<std::ptrdiff_t>(window_ - 1),
      learning_features_.end());
  const size_t n = xs.size();
  std::vector<double> typical(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) typical[i] += i == j ? 1.0 : similarity(xs[i], xs[j]);
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return typical[a] < typical[b]; });
  DualVigilanceArt probe(2 * window_);
  probe.set_vigilance(config_.initial_vigilance, config_.initial_vigilance);
  std::vector<double> matches;
  for (size_t i : order) matches.push_back(probe.present(xs[i]).match);
  const size_t from = trend_ / 2;
  if (from == 0 || from > matches.size()) return config_.initial_vigilance;
  return std::accumulate(matches.begin() + static_cast<std::ptrdiff_t>(from - 1), matches.end(),
                         0.0) /
         static_cast<double>(matches.size() - from + 1);
}

double Artime::detect(const std::vector<double>& features, size_t i) {
  const size_t since = i - last_anomaly_;
  const bool adapt = i > trend_ && (since == mask_ || i - last_vigilance_update_ >= trend_ / 2);
  const bool masked_by_anomaly = since <= mask_;
  if (i > trend_ + mask_ && mask_after_new_ && steps_without_new_ >= mask_) {
    mask_after_new_ = false;
  }
  // Windows before the first full one are presented without learning (they count as new).
  const bool learn = i >= window_;
  const auto p = art_.present(features, learn);
  const bool novel = !learn || p.novel;
  steps_without_new_ = novel ? 0 : steps_without_new_ + 1;
  // A running mean updated as mean += (x - mean) / n, the published detector's arithmetic.
  ++match_count_;
  match_mean_ += (p.match - match_mean_) / static_cast<double>(match_count_);
  match_window_.pop_front();
  match_window_.push_back(p.match);
  gap_window_.pop_front();
  gap_window_.push_back(art_.upper_vigilance() - p.match);
  // The least similar window just after each anomaly stands for it.
  if (since < mask_ && !anomaly_matches_.empty() && p.match < anomaly_matches_.back()) {
    anomaly_matches_.back() = p.match;
  }
  const bool masking = mask_after_new_ || masked_by_anomaly;
  const double scale = masked_by_anomaly ? kBelowLastMasked : kBelowLast;
  const bool below_last = p.match < last_anomaly_match_ * scale;
  double score = 0.0;
  if (i > trend_ && novel && (!masking || below_last)) {
    score = confidence(p.match, p.energy);
    anomaly_matches_.push_back(p.match);
    last_anomaly_match_ = p.match;
    last_anomaly_ = i;
  }
  mask_after_new_ = novel || mask_after_new_;
  if (adapt) adapt_vigilance(i);
  return score;
}

// The upper vigilance follows the mean match; the lower one climbs towards the trend window's
// lowest match, or drops by the typical shortfall (never below the anomalies' mean match).
void Artime::adapt_vigilance(size_t i) {
  const double lowest = *std::min_element(match_window_.begin(), match_window_.end());
  const double upper = std::min(kMaxUpperVigilance, match_mean_);
  const double previous = art_.lower_vigilance();
  double lower = 0;
  if (previous <= lowest) {
    lower = previous + (lowest - previous) * kLowerRise;
  } else {
    double drop = 0, sum = 0;
    size_t count = 0;
    if (i > 2 * trend_) {
      for (double gap : gap_window_) {
        if (gap > kGapFloor) {
          sum += std::min(kGapCap, gap);
          ++count;
        }
      }
      if (count > 0) drop = sum / static_cast<double>(count);
    }
    lower = previous - std::max(kMinDrop, drop) / 2;
    if (!anomaly_matches_.empty()) {
      const double total = std::accumulate(anomaly_matches_.begin(), anomaly_matches_.end(), 0.0);
      lower = std::max(total / static_cast<double>(anomaly_matches_.size()), lower);
    }
  }
  art_.set_vigilance(std::min(upper, lower), upper);
  last_vigilance_update_ = i;
  mask_after_new_ = true;
}

// How far the match fell below the upper and lower vigilances (relative to its distance from
// a perfect match), plus how unlike the current level is; capped at 1.
double Artime::confidence(double match, double energy) const {
  const double m = std::min(0.999, match);
  const double upper = ((1 - m) - (1 - art_.upper_vigilance())) / (1 - m);
  const double lower = ((1 - m) - (1 - art_.lower_vigilance())) / (1 - m);
  const double s = upper * kUpperWeight + lower * kLowerWeight + (1.0 - energy) * kEnergyWeight;
  return std::round(std::clamp(s, 0.0, 1.0) * 1e6) / 1e6;
}

}  // namespace envmon::models::artime
