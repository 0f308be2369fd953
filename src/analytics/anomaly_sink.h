#pragma once

#include <functional>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "sinks/sink_config.h"
#include "sinks/sink_loop.h"
#include "store/store.h"

namespace envmon::analytics {

// Consumer group "anomaly-store" on topic anomalies: decodes each message, writes the batch with
// Store::write_anomalies (idempotent, keyed by station, metric, at, detector) and only then
// commits. A message that does not decode, or that the store refuses for good, becomes a
// dead_letters row with the reason; retryable store errors are retried without committing.
class AnomalySink final : private sinks::SinkHandler {
 public:
  static constexpr const char* kGroup = "anomaly-store";

  // `on_committed` runs after each committed write (the runtime drops cached API answers).
  AnomalySink(ComponentContext ctx, bus::Bus& bus, store::Store& store, sinks::SinkConfig config,
              std::function<void()> on_committed = {});
  ~AnomalySink() override;
  AnomalySink(const AnomalySink&) = delete;
  AnomalySink& operator=(const AnomalySink&) = delete;

  Status start();
  void stop();

 private:
  sinks::PollLimits next_poll(const sinks::LoopState& state) const override;
  void take(std::vector<bus::Message>& polled) override;
  bool flush_due(const sinks::LoopState& state) const override { (void)state; return true; }
  Status flush() override;
  void committed() override {
    if (on_committed_) on_committed_();
  }

  DeadLetter dead_letter(const bus::Message& m, const Error& e) const;
  Status write_one_by_one();

  ComponentContext ctx_;
  store::Store& store_;
  std::function<void()> on_committed_;
  std::vector<bus::Message> msgs_;               // decoded ones, parallel to records_
  std::vector<store::AnomalyRecord> records_;
  store::WriteBatch rejects_;                    // dead letters
  sinks::SinkLoop loop_;  // last: built after, and stopped before, what its thread uses
};

}  // namespace envmon::analytics
