#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "lake/raw_lake.h"
#include "model/reading.h"
#include "sinks/sink_config.h"
#include "sinks/sink_loop.h"

namespace envmon::sinks {

// Consumer group "lake" on raw: appends every raw message to the RawLake, flushes, and only then
// commits. It flushes at least every flush_interval_ms and as soon as max_uncommitted_messages
// wait, so the in-memory bus (which retains messages until every group commits) never blocks
// producers for long. A payload that does not decode is still kept, under source "_undecodable".
class LakeSink final : private SinkHandler {
 public:
  static constexpr const char* kGroup = "lake";

  // Readings of `excluded_sources` are committed but not kept: a provider's terms (WAQI) can
  // forbid caching its data, so retention is a per-source choice (counted as discarded).
  LakeSink(ComponentContext ctx, bus::Bus& bus, lake::RawLake& lake, LakeSinkConfig config,
           std::set<std::string> excluded_sources = {});
  ~LakeSink() override;
  LakeSink(const LakeSink&) = delete;
  LakeSink& operator=(const LakeSink&) = delete;

  // Loads the lake's dedupe checkpoint, subscribes and starts the sink thread.
  Status start();
  // Drains: returns once everything on raw when stop() was called is in the lake and committed
  // (or drain_timeout_ms passed).
  void stop();

 private:
  // SinkHandler: buffer in the lake as messages arrive, flush on size/age, retry every error.
  PollLimits next_poll(const LoopState& state) const override;
  void take(std::vector<bus::Message>& polled) override;
  bool flush_due(const LoopState& state) const override;
  Status flush() override;

  FlushBounds bounds() const;
  // Appends one message; returns false when its source is excluded from the lake.
  bool append(const bus::Message& m);

  ComponentContext ctx_;
  lake::RawLake& lake_;
  std::set<std::string> excluded_sources_;
  Reading scratch_;  // decode buffer reused across messages
  SinkLoop loop_;    // last: built after, and stopped before, what its thread uses
};

}  // namespace envmon::sinks
