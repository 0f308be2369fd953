#pragma once

#include <memory>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/component.h"
#include "processor/processor_config.h"

namespace envmon::processor {

// What one raw message (or a flush) produced, ready to send. Keys are station ids.
struct Output {
  std::vector<bus::Message> curated, aggregates, dead_letters;
  void clear() {
    curated.clear();
    aggregates.clear();
    dead_letters.clear();
  }
  size_t size() const { return curated.size() + aggregates.size() + dead_letters.size(); }
};

inline constexpr int32_t kSchemaVersion = 1;  // the raw payload version this processor reads
inline constexpr size_t kDeadLetterPayloadBytes = 4096;  // kept of an oversized message

// The dead-letter record of `m`, read from (or meant for) `topic`, rejected at `stage` because of
// `e`. A payload over `max_message_bytes` is kept only in part: the dead-letter topic has the
// same size limits.
bus::Message dead_letter_of(const bus::Message& m, std::string_view topic, std::string_view stage,
                            const Error& e, int64_t max_message_bytes);

// The bus-free core of the stream processor: decode -> validate -> normalize -> enrich ->
// dedupe -> clean -> aggregate (+ AQI). It owns the per-(source, station) state of the messages
// it is given, so one instance serves one worker; it never reads the wall clock, so the same
// input always yields byte-identical outputs (replay).
class Pipeline {
 public:
  // Throws std::invalid_argument at start-up if a station's time zone cannot be loaded.
  Pipeline(const ProcessorConfig& cfg, const config::AppConfig& app, ComponentContext ctx);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // One raw message -> 0..n outputs appended to `out` (rejects become dead letters).
  void process(const bus::Message& raw, Output& out);
  // Forgets the state of every station read from `partition` (it moved to another worker,
  // which rebuilds it); nothing is emitted.
  void drop_partition(int32_t partition);
  // At shutdown: emits provisional aggregates (and AQI) of hours still open.
  void flush_open(Output& out);
  // Adds the counters gathered since the last call to the component metrics (call per batch).
  void flush_metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace envmon::processor
