#include "analytics/analytics_stage.h"

#include <string>

#include "analytics/anomaly_codec.h"
#include "analytics/forest_scorer.h"
#include "model/codec.h"

namespace envmon::analytics {

struct AnalyticsStage::Worker {
  int index = 0;
  std::unique_ptr<bus::Consumer> consumer;
  std::unique_ptr<bus::Producer> producer;
  std::unique_ptr<OnlineScorer> scorer;
  std::unique_ptr<ForestScorer> forest;  // when the isolation forest's model loaded
  ScorerCounts reported;  // scorer counts already added to the component metrics
  ForestCounts forest_reported;
  Reading reading;        // reused decode target
  std::vector<store::AnomalyRecord> found;
  std::vector<bus::Message> out;
};

AnalyticsStage::AnalyticsStage(AnalyticsConfig config, bus::Bus& bus, MetricsRegistry& registry,
                               const Clock& clock, std::unique_ptr<registry::Registry> models)
    : config_(std::move(config)),
      bus_(bus),
      ctx_("transform", "analytics", "analytics", registry, clock),
      models_(std::move(models)) {}

AnalyticsStage::~AnalyticsStage() {
  stop();
}

void AnalyticsStage::load_model() {
  zscore_ = config_.detector != Detector::isolation_forest;
  if (config_.detector == Detector::robust_zscore) return;
  const std::string name = config_.isolation_forest_model + "@" + config_.isolation_forest_version;
  auto model = models_ ? load_feature_model(*models_, config_.isolation_forest_model,
                                            config_.isolation_forest_version)
                       : Result<std::shared_ptr<const FeatureModel>>(
                             Error(Errc::invalid_argument, "no model registry configured"));
  if (model.ok()) {
    model_ = std::move(*model);
    return;
  }
  ctx_.metrics->error("model", errc_name(model.error().code()));
  ctx_.log.warn("isolation forest model unavailable; scoring with robust_zscore only",
                {{"model", name}, {"error", model.error().to_string()}});
  zscore_ = true;
}

Status AnalyticsStage::start() {
  load_model();
  for (int i = 0; i < config_.workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    bus::ConsumerOptions options;
    options.rebuild_window = Millis(config_.rebuild_window_secs * 1000);
    auto consumer = bus_.consumer(kGroup, {bus::Topic::curated}, options);
    if (!consumer.ok()) return consumer.error().with_context("analytics worker " + std::to_string(i));
    auto producer = bus_.producer();
    if (!producer.ok()) return producer.error().with_context("analytics worker " + std::to_string(i));
    w->consumer = std::move(*consumer);
    w->producer = std::move(*producer);
    w->scorer = std::make_unique<OnlineScorer>(config_);
    if (model_) w->forest = std::make_unique<ForestScorer>(model_, config_);
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_) threads_.emplace_back([this, wp = w.get()] { run(*wp); });
  ctx_.log.info("started", {{"workers", config_.workers},
                            {"metrics", static_cast<int64_t>(config_.metric_list.size())},
                            {"threshold", config_.robust_zscore.threshold},
                            {"robust_zscore", zscore_ ? "on" : "off"},
                            {"isolation_forest", model_ ? "on" : "off"}});
  return ok_status();
}

void AnalyticsStage::stop() {
  stop_.request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  for (auto& w : workers_) {
    if (w->consumer) w->consumer->close();
  }
  workers_.clear();
}

void AnalyticsStage::handle_batch(Worker& w, const std::vector<bus::Message>& batch) {
  int64_t found = 0;
  for (const auto& m : batch) {
    if (Status s = decode_reading_into(m.payload, w.reading); !s.ok()) {
      ctx_.metrics->error("decode", errc_name(s.error().code()));
      const DeadLetter d{"analytics:decode", std::string(errc_name(s.error().code())),
                         s.error().message(), std::string(bus::topic_name(m.topic)), m.key,
                         m.payload, m.timestamp};
      w.out.push_back(bus::Message{bus::Topic::dead_letter, m.key, encode_dead_letter(d)});
      continue;
    }
    w.found.clear();
    if (zscore_) w.scorer->score(w.reading, m.replay, w.found);
    if (w.forest) w.forest->score(w.reading, m.replay, w.found);
    found += static_cast<int64_t>(w.found.size());
    for (const auto& a : w.found)
      w.out.push_back(bus::Message{bus::Topic::anomalies, a.station, encode_anomaly(a)});
  }
  count_skips(w);
  if (!send_all(w)) return;
  if (Status s = w.consumer->commit(bus::offsets_after(batch)); !s.ok()) {
    ctx_.metrics->error("commit", errc_name(s.error().code()));
    ctx_.log.warn("commit failed", {{"error", s.error().to_string()}});
  }
  scored_.fetch_add(static_cast<int64_t>(batch.size()));
  anomalies_.fetch_add(found);
}

// Retries back-pressure (bus_full); false when the bus refuses for good: the batch stays
// uncommitted and is scored again by whoever reads it next.
bool AnalyticsStage::send_all(Worker& w) {
  const Millis timeout(config_.send_timeout_ms);
  for (const auto& m : w.out) {
    for (;;) {
      Status s = w.producer->send(m, timeout);
      if (s.ok()) break;
      ctx_.metrics->error("send", errc_name(s.error().code()));
      if (!s.error().retryable()) {
        ctx_.log.error("send failed; batch left uncommitted", {{"error", s.error().to_string()}});
        w.out.clear();
        return false;
      }
    }
  }
  if (Status s = w.producer->flush(timeout); !s.ok()) {
    ctx_.log.error("flush failed; batch left uncommitted", {{"error", s.error().to_string()}});
    w.out.clear();
    return false;
  }
  ctx_.metrics->sent(static_cast<double>(w.out.size()));
  w.out.clear();
  return true;
}

void AnalyticsStage::count_skips(Worker& w) {
  const ScorerCounts& now = w.scorer->counts();
  const auto add = [&](std::string_view reason, int64_t cur, int64_t& seen) {
    if (cur > seen) ctx_.metrics->discarded(reason, static_cast<double>(cur - seen));
    seen = cur;
  };
  add("masked", now.skipped_masked, w.reported.skipped_masked);
  add("interpolated", now.skipped_interpolated, w.reported.skipped_interpolated);
  add("series_cap", now.skipped_series_cap, w.reported.skipped_series_cap);
  if (!w.forest) return;
  const ForestCounts& f = w.forest->counts();
  add("late_hour", f.skipped_late, w.forest_reported.skipped_late);
  add("incomplete_hour", f.hours_incomplete, w.forest_reported.hours_incomplete);
  add("station_cap", f.skipped_station_cap, w.forest_reported.skipped_station_cap);
}

void AnalyticsStage::run(Worker& w) {
  const auto max = static_cast<size_t>(config_.poll_batch);
  for (;;) {
    const bool stopping = stop_.stop_requested();
    const Millis timeout(stopping ? std::min<int64_t>(config_.poll_timeout_ms, 20)
                                  : config_.poll_timeout_ms);
    auto batch = w.consumer->poll(max, timeout);
    if (!batch.ok()) {
      ctx_.log.warn("poll failed", {{"error", batch.error().to_string()}});
      break;
    }
    for (const auto& tp : w.consumer->take_revoked()) {
      w.scorer->drop_partition(tp.partition, bus_.partitions(bus::Topic::curated));
      if (w.forest) w.forest->drop_partition(tp.partition, bus_.partitions(bus::Topic::curated));
    }
    if (batch->empty()) {
      if (stopping) break;
      continue;
    }
    ctx_.metrics->received(static_cast<double>(batch->size()));
    handle_batch(w, *batch);
  }
}

}  // namespace envmon::analytics
