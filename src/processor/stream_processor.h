#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/clock.h"
#include "core/component.h"
#include "core/metrics.h"
#include "processor/pipeline.h"
#include "processor/processor_config.h"

namespace envmon::processor {

// Runs `workers` threads, each a member of consumer group "processor" on topic raw with its own
// Pipeline (a station always maps to one partition, so its state lives in one worker). Outputs
// go to curated / aggregates / dead-letter; raw offsets are committed only after a batch's
// outputs were sent and flushed (at-least-once; replay is deterministic).
class StreamProcessor {
 public:
  StreamProcessor(ProcessorConfig cfg, const config::AppConfig& app, bus::Bus& bus,
                  MetricsRegistry& registry, const Clock& clock);
  ~StreamProcessor();
  StreamProcessor(const StreamProcessor&) = delete;
  StreamProcessor& operator=(const StreamProcessor&) = delete;

  // Creates every consumer first (so partitions are assigned once), then starts the workers.
  Status start();
  // Drains: workers keep processing until a poll finds no raw lag, flush open hours, send,
  // commit, then return. Idempotent.
  void stop();
  int64_t processed() const { return processed_.load(); }

 private:
  struct Worker;
  void run(Worker& w);
  bool send_all(Worker& w, Output& out);
  void handle_batch(Worker& w, const std::vector<bus::Message>& batch);

  ProcessorConfig cfg_;
  config::AppConfig app_;
  bus::Bus& bus_;
  ComponentContext ctx_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  StopToken stop_;
  std::atomic<int64_t> processed_{0};
};

}  // namespace envmon::processor
