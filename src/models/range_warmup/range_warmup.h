#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace envmon::models {

// The causal way a quantising detector learns its value range: buffer the first `points`
// values; when the last one arrives, hand back their min..max and the values themselves, which
// the detector replays so its memory is what it would have been had the range been known from
// the start. Used by context_novelty, cad_ose and artime.
class RangeWarmup {
 public:
  struct Range {
    double min = 0, max = 0;
    std::vector<double> values;  // in arrival order, to replay
  };

  explicit RangeWarmup(int64_t points);

  // Buffers `value`; returns the range and the buffered values once `points` have come (once).
  std::optional<Range> add(double value);

 private:
  size_t points_;
  std::vector<double> values_;
};

}  // namespace envmon::models
