#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/component.h"
#include "processor/processor_config.h"

namespace envmon::processor {

// What raw messages (or a flush) produced, ready to send. Keys are station ids.
// With `frame_max_bytes` set (the processor's batch framing), curated readings and aggregates
// are appended to one open record per (topic, station) where they are produced, in
// bus::pack_batches' format (several v1 lines: schema version 2, the latest timestamp, at most
// frame_max_bytes of payload): packing afterwards cost a message per output (allocation, copy,
// free) and a lookup. 0: one message per output.
struct Output {
  std::vector<bus::Message> curated, aggregates, dead_letters;
  size_t frame_max_bytes = 0;

  // One curated reading or aggregate of the station with index `station` (key: its id);
  // `encode(std::string&)` appends the v1 payload.
  template <class Encode>
  void add(bus::Topic topic, size_t station, const std::string& key, Timestamp at,
           Encode&& encode);
  void clear() {
    curated.clear();
    aggregates.clear();
    dead_letters.clear();
    for (auto& open : open_)
      open.clear();
    lines_ = 0;
  }
  // Outputs, not records.
  size_t size() const { return curated.size() + aggregates.size() + dead_letters.size() + lines_; }

 private:
  static constexpr size_t kRecordReserveBytes = 16 * 1024;
  bus::Message& start(std::vector<bus::Message>& list, bus::Topic topic, const std::string& key,
                      Timestamp at);
  std::vector<int32_t> open_[2];  // curated, aggregates: per station its open record, -1: none
  size_t lines_ = 0;              // outputs appended to a record that held one already
};

inline bus::Message& Output::start(std::vector<bus::Message>& list, bus::Topic topic,
                                   const std::string& key, Timestamp at) {
  bus::Message& m = list.emplace_back();
  m.topic = topic;
  m.key = key;
  m.timestamp = at;
  if (frame_max_bytes > 0) m.payload.reserve(std::min(frame_max_bytes, kRecordReserveBytes));
  return m;
}

template <class Encode>
void Output::add(bus::Topic topic, size_t station, const std::string& key, Timestamp at,
                 Encode&& encode) {
  const bool is_curated = topic == bus::Topic::curated;
  std::vector<bus::Message>& list = is_curated ? curated : aggregates;
  if (frame_max_bytes == 0) {
    encode(start(list, topic, key, at).payload);
    return;
  }
  std::vector<int32_t>& open = open_[is_curated ? 0 : 1];
  if (open.size() <= station) open.resize(station + 1, -1);
  int32_t& index = open[station];
  if (index >= 0) {
    bus::Message& record = list[static_cast<size_t>(index)];
    const size_t before = record.payload.size();
    record.payload.push_back('\n');  // a v1 JSON encoding never holds a raw newline
    encode(record.payload);
    if (record.payload.size() <= frame_max_bytes) {
      record.timestamp = std::max(record.timestamp, at);
      record.schema_version = bus::kBatchSchemaVersion;
      ++lines_;
      return;
    }
    // Over the limit: this output starts the station's next record (rare: a copy is fine).
    std::string payload = record.payload.substr(before + 1);
    record.payload.resize(before);
    index = static_cast<int32_t>(list.size());
    start(list, topic, key, at).payload = std::move(payload);
    return;
  }
  index = static_cast<int32_t>(list.size());
  encode(start(list, topic, key, at).payload);
}

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
