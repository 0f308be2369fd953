#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/schema.h"
#include "core/time.h"
#include "model/reading.h"
#include "transforms/clean/rolling_median.h"

namespace envmon::transforms {

struct CleanConfig {
  int64_t median_window = 15;     // good values in the rolling median/MAD window
  double mad_threshold = 6.0;     // robust z = |x - median| / (1.4826 MAD + eps) above this: outlier
  double spike_ratio = 2.0;       // jump vs previous good value above ratio x level: spike
  int64_t stuck_run_min = 12;     // identical values in a row (continuous metrics): stuck
  int64_t max_gap_secs = 3600;    // gaps up to this are filled by linear interpolation
};
const config::Schema<CleanConfig>& clean_schema();

// Smallest change (canonical unit) that can count as a spike or outlier, so flat series do not
// flag sensor noise. Also used by tests.
double min_abs_delta(Metric m);
// Metrics that vary continuously, where a long run of identical values means a stuck sensor.
bool stuck_applies(Metric m);

// A measurement emitted by gap filling: an interpolated tick, or a masked point re-emitted with
// its value filled (flags masked|interpolated; the store upserts by key).
struct FillPoint {
  Timestamp at;
  Measurement m;
};

// Cleaning state of one series, in event-time order. Every change sets a flag (never silent);
// a masked measurement keeps raw = original and value = NaN.
class CleanSeries {
 public:
  // Cleans `m` observed at `t` in place. `poll_ms` is the source's poll interval (gap ticks).
  // Gap fills are appended to `fills`.
  void clean(Timestamp t, Measurement& m, const CleanConfig& cfg, int64_t poll_ms,
             std::vector<FillPoint>& fills);

 private:
  struct Pending {
    int64_t t_ms;
    Measurement m;
  };
  bool check_bounds(Measurement& m) const;
  bool check_stuck(Measurement& m, const CleanConfig& cfg);
  bool check_robust(Measurement& m, const CleanConfig& cfg, bool late);
  void mask(Measurement& m, Flag f) const;
  void fill_gap(int64_t t_ms, double v, Metric metric, const CleanConfig& cfg, int64_t poll_ms,
                std::vector<FillPoint>& fills);
  void remember_masked(int64_t t_ms, const Measurement& m);

  // Scalars first and the window right after them: a clean() touches few cache lines.
  bool has_good_ = false;
  double prev_good_ = 0;
  int64_t prev_good_ms_ = 0;
  int64_t newest_ms_ = INT64_MIN;
  double run_value_ = 0;
  int64_t run_len_ = 0;
  int64_t consecutive_masked_ = 0;
  std::vector<Pending> pending_;  // masked points since the last good value (gap candidates)
  RollingMedian window_;          // the last good values (outlier test)
};

}  // namespace envmon::transforms
