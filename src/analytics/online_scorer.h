#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/analytics_config.h"
#include "model/reading.h"
#include "models/robust_zscore/robust_zscore.h"
#include "store/store.h"

namespace envmon::analytics {

// Why a measurement was not scored (counted as discarded{reason} by the stage).
struct ScorerCounts {
  int64_t scored = 0;
  int64_t anomalies = 0;
  int64_t skipped_masked = 0;        // masked by the cleaner (stuck, or masked_values: skip)
  int64_t skipped_interpolated = 0;  // filled by the cleaner, not observed
  int64_t skipped_series_cap = 0;    // max_series reached
};

// The per-(station, metric) streaming detectors of one consumer-group member. A curated reading
// goes in; the anomalies among its measurements come out, each explained by the detector's
// features plus the other metrics of the same reading that were unusual at that instant.
class OnlineScorer {
 public:
  explicit OnlineScorer(const AnalyticsConfig& config);

  // `learn_only`: a replayed message rebuilds state and reports nothing (it was reported before).
  void score(const Reading& r, bool learn_only, std::vector<store::AnomalyRecord>& out);
  // A partition moved to another member: its stations' detectors go with it.
  void drop_partition(int32_t partition, int32_t partitions);
  size_t series() const { return series_; }
  const ScorerCounts& counts() const { return counts_; }

 private:
  using Detectors = std::array<std::unique_ptr<models::robust_zscore::RobustZScore>, kMetricCount>;
  struct Scored {
    Metric metric;
    models::robust_zscore::Score score;
    FlagSet flags;
  };
  models::robust_zscore::RobustZScore* detector(const std::string& station, Metric m);
  bool scored_value(const Measurement& m, double& value, bool& learn);
  store::AnomalyRecord record(const Reading& r, const Scored& s,
                              const std::vector<Scored>& all) const;

  AnalyticsConfig config_;
  std::array<bool, kMetricCount> wanted_{};
  std::unordered_map<std::string, Detectors> stations_;
  size_t series_ = 0;
  ScorerCounts counts_;
  std::vector<Scored> scratch_;
};

}  // namespace envmon::analytics
