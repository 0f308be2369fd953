#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "lake/raw_lake.h"
#include "model/reading.h"
#include "sinks/sink_common.h"
#include "sinks/sink_config.h"

namespace envmon::sinks {

// Consumer group "lake" on raw: appends every raw message to the RawLake, flushes, and only then
// commits. It flushes at least every flush_interval_ms and as soon as max_uncommitted_messages
// wait, so the in-memory bus (which retains messages until every group commits) never blocks
// producers for long. A payload that does not decode is still kept, under source "_undecodable".
class LakeSink {
 public:
  static constexpr const char* kGroup = "lake";

  // Readings of `excluded_sources` are committed but not kept: a provider's terms (WAQI) can
  // forbid caching its data, so retention is a per-source choice (counted as discarded).
  LakeSink(ComponentContext ctx, bus::Bus& bus, lake::RawLake& lake, LakeSinkConfig config,
           std::set<std::string> excluded_sources = {});
  ~LakeSink();
  LakeSink(const LakeSink&) = delete;
  LakeSink& operator=(const LakeSink&) = delete;

  // Loads the lake's dedupe checkpoint, subscribes and starts the sink thread.
  Status start();
  // Drains: returns once everything on raw when stop() was called is in the lake and committed
  // (or drain_timeout_ms passed).
  void stop();

 private:
  void run();
  bool should_exit();
  void append(const bus::Message& m);
  bool flush_due() const;
  // Flushes the lake (retrying retryable errors) and commits the pending offsets.
  Status flush_and_commit();

  ComponentContext ctx_;
  bus::Bus& bus_;
  lake::RawLake& lake_;
  LakeSinkConfig config_;
  std::set<std::string> excluded_sources_;
  std::unique_ptr<bus::Consumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex drain_mutex_;
  DrainTarget drain_;
  std::chrono::steady_clock::time_point drain_deadline_{};
  bus::OffsetMap pending_;
  int64_t pending_messages_ = 0;
  std::chrono::steady_clock::time_point last_flush_{};
  Reading scratch_;  // decode buffer reused across messages
};

}  // namespace envmon::sinks
