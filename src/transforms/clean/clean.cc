#include "transforms/clean/clean.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace envmon::transforms {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxPending = 256;

size_t window_of(const CleanConfig& cfg) {
  return static_cast<size_t>(std::clamp<int64_t>(cfg.median_window, 3, kMaxMedianWindow));
}

}  // namespace

const config::Schema<CleanConfig>& clean_schema() {
  static const config::Schema<CleanConfig> schema = [] {
    config::Schema<CleanConfig> s("processor");
    s.integer("median_window", &CleanConfig::median_window, 15, "values", 3,
              static_cast<double>(kMaxMedianWindow),
              "Good values per series in the rolling median/MAD window of the outlier test")
        .number("mad_threshold", &CleanConfig::mad_threshold, 6.0, "", 1, 100,
                "Robust z-score |x-median|/(1.4826*MAD) above which a value is masked as outlier")
        .number("spike_ratio", &CleanConfig::spike_ratio, 2.0, "", 0.1, 1000,
                "A jump from the previous good value larger than this times the series level "
                "(rolling median, at least the metric's minimum delta) is masked as spike")
        .integer("stuck_run_min", &CleanConfig::stuck_run_min, 12, "values", 2, 100000,
                 "Identical consecutive values of a continuous metric from which it is masked stuck")
        .integer("max_gap_secs", &CleanConfig::max_gap_secs, 3600, "s", 0, 7 * 86400,
                 "Gaps (more than 1.5 poll intervals) up to this long are linearly interpolated");
    return s;
  }();
  return schema;
}

double min_abs_delta(Metric m) {
  switch (m) {
    case Metric::temperature: return 3.0;
    case Metric::humidity: return 15.0;
    case Metric::pressure: return 5.0;
    case Metric::wind_speed: return 8.0;
    case Metric::precipitation: return 20.0;
    case Metric::pm25: return 25.0;
    case Metric::pm10: return 40.0;
    case Metric::o3: return 40.0;
    case Metric::no2: return 40.0;
    case Metric::so2: return 40.0;
    case Metric::co: return 1000.0;
    // Circular or bimodal by nature: a median test says nothing useful about them.
    case Metric::wind_direction:
    case Metric::cloud_cover:
    case Metric::aqi_us:
    case Metric::aqi_in: return kInf;
    // Provider-reported sub-indices jump with the index's piecewise breakpoints.
    case Metric::aqi_us_pm25:
    case Metric::aqi_us_pm10:
    case Metric::aqi_us_o3:
    case Metric::aqi_us_no2:
    case Metric::aqi_us_so2:
    case Metric::aqi_us_co: return kInf;
  }
  return kInf;
}

bool stuck_applies(Metric m) {
  switch (m) {
    case Metric::temperature:
    case Metric::humidity:
    case Metric::pressure:
    case Metric::pm25:
    case Metric::pm10:
    case Metric::o3:
    case Metric::no2:
    case Metric::co: return true;
    default: return false;  // calm wind, dry hours, clear sky, low SO2 legitimately repeat
  }
}

void CleanSeries::mask(Measurement& m, Flag f) const {
  if (std::isnan(m.raw)) m.raw = m.value;
  m.value = std::nan("");
  set_flag(m.flags, f);
}

bool CleanSeries::check_bounds(Measurement& m) const {
  if (in_bounds(m.metric, m.value)) return true;
  mask(m, Flag::out_of_bounds);
  return false;
}

bool CleanSeries::check_stuck(Measurement& m, const CleanConfig& cfg) {
  if (run_len_ > 0 && m.value == run_value_) {
    ++run_len_;
  } else {
    run_value_ = m.value;
    run_len_ = 1;
  }
  if (!stuck_applies(m.metric) || run_len_ < cfg.stuck_run_min) return false;
  mask(m, Flag::stuck);
  return true;
}

// Returns true when `m` was masked as spike or outlier.
bool CleanSeries::check_robust(Measurement& m, const CleanConfig& cfg, bool late) {
  const size_t min_points = std::max<size_t>(3, window_of(cfg) / 3);
  const double d = min_abs_delta(m.metric);
  if (window_.count() < min_points || !std::isfinite(d)) return false;
  const double v = m.value;
  const double med = window_.median();
  if (has_good_ && !late) {
    const double jump = std::abs(v - prev_good_);
    if (jump > d && jump > cfg.spike_ratio * std::max(std::abs(med), d)) {
      mask(m, Flag::spike);
      return true;
    }
  }
  const double dev = std::abs(v - med);
  if (!(dev > d)) return false;
  const double z = dev / (1.4826 * window_.mad() + 1e-9);
  if (z <= cfg.mad_threshold) return false;
  mask(m, Flag::outlier);
  return true;
}

void CleanSeries::remember_masked(int64_t t_ms, const Measurement& m) {
  if (pending_.size() < kMaxPending) pending_.push_back(Pending{t_ms, m});
}

void CleanSeries::fill_gap(int64_t t_ms, double v, Metric metric, const CleanConfig& cfg,
                           int64_t poll_ms, std::vector<FillPoint>& fills) {
  const int64_t dt = t_ms - prev_good_ms_;
  if (!has_good_ || dt * 2 <= 3 * poll_ms || dt > cfg.max_gap_secs * 1000 || poll_ms <= 0) {
    pending_.clear();
    return;
  }
  const double slope = (v - prev_good_) / static_cast<double>(dt);
  auto interp = [&](int64_t at) { return prev_good_ + slope * static_cast<double>(at - prev_good_ms_); };
  for (auto& p : pending_) {
    p.m.value = interp(p.t_ms);
    set_flag(p.m.flags, Flag::interpolated);
    fills.push_back(FillPoint{from_unix_ms(p.t_ms), p.m});
  }
  for (int64_t tick = prev_good_ms_ + poll_ms; tick < t_ms - poll_ms / 2; tick += poll_ms) {
    const bool covered = std::any_of(pending_.begin(), pending_.end(), [&](const Pending& p) {
      return std::abs(p.t_ms - tick) <= poll_ms / 2;
    });
    if (covered) continue;
    Measurement m;
    m.metric = metric;
    m.value = interp(tick);
    m.flags = static_cast<FlagSet>(Flag::interpolated);
    fills.push_back(FillPoint{from_unix_ms(tick), m});
  }
  pending_.clear();
}

void CleanSeries::clean(Timestamp t, Measurement& m, const CleanConfig& cfg, int64_t poll_ms,
                        std::vector<FillPoint>& fills) {
  const int64_t t_ms = to_unix_ms(t);
  if (t_ms < newest_ms_) {
    // Late: judged against the current window, but never moves the series' state.
    set_flag(m.flags, Flag::late);
    if (check_bounds(m)) check_robust(m, cfg, true);
    return;
  }
  newest_ms_ = t_ms;
  if (!check_bounds(m) || check_stuck(m, cfg)) {
    remember_masked(t_ms, m);
    return;
  }
  const double v = m.value;
  const double raw_before = m.raw;
  const size_t window = window_of(cfg);
  if (check_robust(m, cfg, false)) {
    // A run of "anomalies" longer than half the window is a level shift, not noise: accept the
    // new level (this value is restored) and restart the window from it.
    if (++consecutive_masked_ < static_cast<int64_t>(std::max<size_t>(3, window / 2))) {
      remember_masked(t_ms, m);
      return;
    }
    m.value = v;
    m.raw = raw_before;
    m.flags = static_cast<FlagSet>(m.flags & ~(static_cast<FlagSet>(Flag::spike) |
                                               static_cast<FlagSet>(Flag::outlier)));
    window_.clear();
    pending_.clear();
  } else {
    fill_gap(t_ms, v, m.metric, cfg, poll_ms, fills);
  }
  consecutive_masked_ = 0;
  // Metrics without a robust test (circular, bimodal) need no window.
  if (std::isfinite(min_abs_delta(m.metric))) window_.push(v, window);
  has_good_ = true;
  prev_good_ = v;
  prev_good_ms_ = t_ms;
}

}  // namespace envmon::transforms
