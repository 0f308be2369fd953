#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "bus/bus.h"
#include "core/component.h"
#include "sources/source.h"

namespace envmon::app {

// Drives one source: waits until it has work (in clock time), polls it, and sends what it
// produced to the raw topic (readings) and the dead-letter topic (edge rejects). The bus
// back-pressures: when the processor falls behind, send() blocks and the source waits.
// Sends a source's batch: readings to the raw topic (in the order given), dead letters to the
// dead-letter topic. Blocks under back-pressure rather than drop; gives up only when the bus
// fails for good or `stop` says so. `is_replay` marks readings the store already holds.
struct PublishCounts {
  int64_t readings = 0;
  int64_t dead_letters = 0;
};
Status publish_batch(const sources::SourceBatch& batch, bus::Producer& producer,
                     const std::function<bool(const Reading&)>& is_replay,
                     const std::function<bool()>& stop, ComponentMetrics* metrics,
                     PublishCounts& counts);

class SourceRunner {
 public:
  SourceRunner(ComponentContext ctx, std::unique_ptr<sources::Source> source, bus::Bus& bus);
  ~SourceRunner();
  Status start(const sources::ResumePoint& resume);
  void stop();  // stops polling; everything already polled has been sent
  int64_t readings_sent() const { return sent_.load(); }

 private:
  void loop();
  Status publish(const sources::SourceBatch& batch);
  void wait_until(Timestamp t);

  ComponentContext ctx_;
  std::unique_ptr<sources::Source> source_;
  bus::Bus* bus_;
  std::unique_ptr<bus::Producer> producer_;
  StopToken stop_;
  std::thread thread_;
  std::atomic<int64_t> sent_{0};
  sources::ResumePoint resume_;  // readings ingested at or before these were stored already
};

}  // namespace envmon::app
