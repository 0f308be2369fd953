#pragma once

#include <memory>
#include <thread>

#include "bus/bus.h"
#include "core/component.h"
#include "sources/source.h"

namespace envmon::app {

// Drives one source: waits until it has work (in clock time), polls it, and sends what it
// produced to the raw topic (readings) and the dead-letter topic (edge rejects). The bus
// back-pressures: when the processor falls behind, send() blocks and the source waits.
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
