#pragma once

#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "lake/curated_lake.h"
#include "model/reading.h"
#include "sinks/sink_config.h"
#include "sinks/sink_loop.h"

namespace envmon::sinks {

// Consumer group "parquet_lake" on curated: buffers every curated reading in the CuratedLake,
// writes Parquet parts at least every flush_interval_ms (or when max_uncommitted_messages
// wait), and only then commits. Failed writes (S3 5xx/SlowDown after the store's own retries,
// disk full) are retried with backoff, so the bus back-pressures instead of losing anything;
// each failure is logged once per retry with the reason. After a successful flush, small files
// are compacted (a failed compaction is retried after the next flush; it never blocks commits).
class ParquetLakeSink final : private SinkHandler {
 public:
  static constexpr const char* kGroup = "parquet_lake";

  ParquetLakeSink(ComponentContext ctx, bus::Bus& bus, lake::CuratedLake& lake,
                  SinkConfig config);
  ~ParquetLakeSink() override;
  ParquetLakeSink(const ParquetLakeSink&) = delete;
  ParquetLakeSink& operator=(const ParquetLakeSink&) = delete;

  // Loads the curated checkpoint (and completes interrupted compactions), then starts.
  Status start();
  // Drains what is on curated when called (up to drain_timeout_ms).
  void stop();

 private:
  PollLimits next_poll(const LoopState& state) const override;
  void take(std::vector<bus::Message>& polled) override;
  bool flush_due(const LoopState& state) const override;
  Status flush() override;
  FlushBounds bounds() const;

  ComponentContext ctx_;
  lake::CuratedLake& lake_;
  Reading scratch_;
  SinkLoop loop_;  // last: built after, and stopped before, what its thread uses
};

}  // namespace envmon::sinks
