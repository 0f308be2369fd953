#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "analytics/analytics_config.h"
#include "analytics/feature_model.h"
#include "analytics/online_scorer.h"
#include "bus/bus.h"
#include "core/clock.h"
#include "core/component.h"
#include "core/metrics.h"
#include "registry/registry.h"

namespace envmon::analytics {

// The online scoring stage: `workers` members of consumer group "analytics" on topic curated,
// each with its own OnlineScorer (a station maps to one partition, so its detectors live in one
// member). Anomalies go to topic anomalies (key: station); a curated message that does not
// decode goes to dead-letter with the reason. Curated offsets are committed only after the
// batch's outputs were sent and flushed (at-least-once; the store's anomaly upsert is keyed by
// (station, metric, at, detector), so a re-scored batch changes nothing).
// `detector` isolation_forest or both: start() loads the configured model from `registry` and
// each member adds a ForestScorer; a missing registry or model is logged (with the reason and
// an errors{kind="model"} count) and the stage runs robust_zscore alone rather than failing.
class AnalyticsStage {
 public:
  static constexpr const char* kGroup = "analytics";

  AnalyticsStage(AnalyticsConfig config, bus::Bus& bus, MetricsRegistry& registry,
                 const Clock& clock, std::unique_ptr<registry::Registry> models = nullptr);
  ~AnalyticsStage();
  AnalyticsStage(const AnalyticsStage&) = delete;
  AnalyticsStage& operator=(const AnalyticsStage&) = delete;

  Status start();
  // Drains: members keep scoring until a poll finds no curated lag, then return. Idempotent.
  void stop();
  int64_t scored_messages() const { return scored_.load(); }
  int64_t anomalies() const { return anomalies_.load(); }
  // After start(): whether the isolation forest scores (its model loaded).
  bool forest_active() const { return model_ != nullptr; }

 private:
  struct Worker;
  void run(Worker& w);
  void handle_batch(Worker& w, const std::vector<bus::Message>& batch);
  bool send_all(Worker& w);
  void count_skips(Worker& w);
  void load_model();

  AnalyticsConfig config_;
  bus::Bus& bus_;
  ComponentContext ctx_;
  std::unique_ptr<registry::Registry> models_;
  std::shared_ptr<const FeatureModel> model_;
  bool zscore_ = true;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  StopToken stop_;
  std::atomic<int64_t> scored_{0};
  std::atomic<int64_t> anomalies_{0};
};

}  // namespace envmon::analytics
