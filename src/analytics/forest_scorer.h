#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/analytics_config.h"
#include "analytics/feature_model.h"
#include "features/features.h"
#include "model/reading.h"
#include "store/store.h"

namespace envmon::analytics {

struct ForestCounts {
  int64_t hours_scored = 0;
  int64_t hours_incomplete = 0;  // a feature of the closed hour was missing: not scored
  int64_t hours_warmup = 0;      // within the model's warm-up from the station's first hour
  int64_t skipped_late = 0;      // a reading for an hour already closed
  int64_t skipped_station_cap = 0;
};

// The isolation-forest detector of one consumer-group member. Readings are averaged into their
// UTC hour per station; when a station's next hour begins, the closed hour's raw row goes
// through OnlineFeatures (the library `envmon train anomaly` uses offline) and, when every
// column the model needs is present, through the forest. A score >= threshold becomes an
// anomaly on the model's target metric at the hour's start, explained by the features that
// isolated it (detector "isolation_forest").
class ForestScorer {
 public:
  ForestScorer(std::shared_ptr<const FeatureModel> model, const AnalyticsConfig& config);

  // `learn_only`: replayed history feeds the features; an hour with only replayed readings is
  // never reported.
  void score(const Reading& r, bool learn_only, std::vector<store::AnomalyRecord>& out);
  void drop_partition(int32_t partition, int32_t partitions);
  const ForestCounts& counts() const { return counts_; }

 private:
  struct Station {
    explicit Station(const features::FeatureSpec& spec, int utc_offset_secs)
        : features(spec, utc_offset_secs) {}
    features::OnlineFeatures features;
    int64_t hour = std::numeric_limits<int64_t>::min();  // open hour's start, unix seconds
    int64_t first_hour = 0;                               // the station's first hour
    std::array<double, features::kRawCount> sum{};
    std::array<int, features::kRawCount> n{};
    bool report = false;  // a live (not replayed) reading fell into the open hour
  };
  Station* station(const Reading& r);
  void add(Station& s, const Reading& r);
  void close_hour(const std::string& id, Station& s, std::vector<store::AnomalyRecord>& out);
  bool value_of(const Measurement& m, double& value) const;

  std::shared_ptr<const FeatureModel> model_;
  AnalyticsConfig config_;
  std::vector<std::string> names_;  // display names of the model's columns
  size_t value_index_ = 0;          // the target's (gap-filled) value among all features
  std::unordered_map<std::string, Station> stations_;
  ForestCounts counts_;
  std::vector<double> row_;
};

}  // namespace envmon::analytics
