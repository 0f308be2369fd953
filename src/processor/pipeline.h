#pragma once

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/component.h"
#include "processor/processor_config.h"

namespace envmon::processor {

// What raw messages (or a flush) produced, ready to send. Keys are station ids.
// With `frame(max_bytes)` (the processor's batch framing), curated readings and aggregates are
// appended to one open record per (topic, station) where they are produced, by
// bus::BatchFramer (pack_batches' rule and format): packing afterwards cost a message per
// output (allocation, copy, free) and a lookup. Otherwise one message per output.
struct Output {
  std::vector<bus::Message> curated, aggregates, dead_letters;

  void frame(size_t max_bytes) { framers_ = {bus::BatchFramer(max_bytes), bus::BatchFramer(max_bytes)}; }
  // One curated reading or aggregate of the station with index `station` (key: its id);
  // `encode(std::string&)` appends the v1 payload.
  template <class Encode>
  void add(bus::Topic topic, size_t station, const std::string& key, Timestamp at,
           Encode&& encode) {
    const bool is_curated = topic == bus::Topic::curated;
    framers_[is_curated ? 0 : 1].add(is_curated ? curated : aggregates, station, topic, key, at,
                                     std::forward<Encode>(encode));
  }
  void clear() {
    curated.clear();
    aggregates.clear();
    dead_letters.clear();
    for (auto& f : framers_)
      f.clear();
  }
  // Outputs, not records.
  size_t size() const {
    return curated.size() + aggregates.size() + dead_letters.size() + framers_[0].joined() +
           framers_[1].joined();
  }

 private:
  std::array<bus::BatchFramer, 2> framers_;  // curated, aggregates
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
