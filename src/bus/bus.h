#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace envmon::bus {

// The topics of the pipeline. Kafka topic names are these, prefixed by the configured prefix.
enum class Topic : uint8_t { raw, curated, aggregates, anomalies, alerts, dead_letter };
inline constexpr size_t kTopicCount = 6;
std::string_view topic_name(Topic t);  // "raw", ..., "dead-letter"
std::optional<Topic> parse_topic(std::string_view name);
inline constexpr Topic kAllTopics[] = {Topic::raw,       Topic::curated, Topic::aggregates,
                                       Topic::anomalies, Topic::alerts,  Topic::dead_letter};

struct Message {
  Topic topic = Topic::raw;
  std::string key;      // station id: all messages of a station land in one partition, in order
  std::string payload;  // a v1 JSON document (model/codec.h)
  int32_t schema_version = 1;  // carried as a header on Kafka
  Timestamp timestamp{};       // set by the bus on produce if left at zero
  int32_t partition = -1;      // set by the bus
  int64_t offset = -1;         // set by the bus
  // The source is re-delivering data the store already holds, to rebuild processor state after
  // a restart (Kafka: header envmon-replay). The processor learns from it but does not re-emit
  // what could be incomplete (see docs/architecture.md, "Crash and restart").
  bool replay = false;
};

// Stable partitioner (FNV-1a) so a station's partition never depends on the process.
int32_t partition_for(std::string_view key, int32_t partitions);

// Batch framing. A producer of many small messages (the processor's curated readings and
// aggregates) packs consecutive messages of one topic and key into one record: payload = their
// version-1 payloads, one per line (JSONL: a v1 JSON encoding never holds a raw newline),
// schema version kBatchSchemaVersion. Brokers and clients then pay per batch, not per reading.
// Every Consumer::poll unpacks such a record back into its messages (version 1, the record's
// key, partition, offset, timestamp and replay flag, in order), so readers see single messages
// whichever form was produced; poll may then return more than `max` messages.
inline constexpr int32_t kBatchSchemaVersion = 2;
// Appends `in` to `out`, packing the messages of each (topic, key) into records of at most
// `max_bytes` payload, in order per key. A message that cannot be framed (not version 1, a
// newline in its payload, the replay flag set) or a group of one is appended unchanged. The
// record's timestamp is the latest of its messages'.
void pack_batches(std::vector<Message>& in, size_t max_bytes, std::vector<Message>& out);
// The packing rule of pack_batches for producers that write each payload in place (the
// processor encodes its outputs straight into their records): a key's message joins the key's
// open record while the record stays within max_bytes, else starts the key's next record.
// Keys are dense slots chosen by the caller (an index of the topic and key). max_bytes 0: one
// record per message.
class BatchFramer {
 public:
  explicit BatchFramer(size_t max_bytes = 0) : max_bytes_(max_bytes) {}
  // Appends the v1 payload written by `write(std::string&)` as a message of `key` (slot `slot`)
  // to `records`. A v1 encoding never holds a raw newline, so the lines stay separable.
  template <class Write>
  void add(std::vector<Message>& records, size_t slot, Topic topic, const std::string& key,
           Timestamp at, Write&& write);
  // The records were handed on: every key starts a new one.
  void clear() {
    open_.clear();
    joined_ = 0;
  }
  // Messages that joined a record already holding one (messages = records + joined()).
  size_t joined() const { return joined_; }

 private:
  static constexpr size_t kRecordReserveBytes = 16 * 1024;
  Message& start(std::vector<Message>& records, Topic topic, const std::string& key,
                 Timestamp at);
  size_t max_bytes_;
  std::vector<int32_t> open_;  // per slot: index of its open record in `records`, -1: none
  size_t joined_ = 0;
};

inline Message& BatchFramer::start(std::vector<Message>& records, Topic topic,
                                   const std::string& key, Timestamp at) {
  Message& m = records.emplace_back();
  m.topic = topic;
  m.key = key;
  m.timestamp = at;
  if (max_bytes_ > 0) m.payload.reserve(std::min(max_bytes_, kRecordReserveBytes));
  return m;
}

template <class Write>
void BatchFramer::add(std::vector<Message>& records, size_t slot, Topic topic,
                      const std::string& key, Timestamp at, Write&& write) {
  if (max_bytes_ == 0) {
    write(start(records, topic, key, at).payload);
    return;
  }
  if (open_.size() <= slot) open_.resize(slot + 1, -1);
  int32_t& index = open_[slot];
  if (index >= 0) {
    Message& record = records[static_cast<size_t>(index)];
    const size_t before = record.payload.size();
    record.payload.push_back('\n');
    write(record.payload);
    if (record.payload.size() <= max_bytes_) {
      record.timestamp = std::max(record.timestamp, at);
      record.schema_version = kBatchSchemaVersion;
      ++joined_;
      return;
    }
    // Over the limit: this message starts the key's next record (rare: a copy is fine).
    std::string payload = record.payload.substr(before + 1);
    record.payload.resize(before);
    index = static_cast<int32_t>(records.size());
    start(records, topic, key, at).payload = std::move(payload);
    return;
  }
  index = static_cast<int32_t>(records.size());
  write(start(records, topic, key, at).payload);
}

// Appends the messages of `record` to `out`: a batch record unpacked, any other moved as is.
void unpack_batch(Message&& record, std::vector<Message>& out);
// `polled` with every batch record unpacked (returned as is when it holds none).
std::vector<Message> unpack_batches(std::vector<Message> polled);

struct TopicPartition {
  Topic topic;
  int32_t partition;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};
// Next offset to read per partition: committing N means "everything before N is done".
using OffsetMap = std::map<TopicPartition, int64_t>;
// The commit that acknowledges `messages` (highest offset + 1 per partition).
OffsetMap offsets_after(const std::vector<Message>& messages);

class Producer {
 public:
  virtual ~Producer() = default;
  // Appends a message. When the partition is full this blocks (back-pressure) for up to
  // `timeout`, then fails with bus_full (retryable). Never drops.
  // Takes a reference: the Kafka producer copies into librdkafka anyway, and a caller that
  // retries on bus_full keeps its message.
  virtual Status send(const Message& message, Millis timeout) = 0;
  // Waits until everything sent is durably accepted by the bus (Kafka: acknowledged by brokers).
  virtual Status flush(Millis timeout) = 0;
  // Acknowledgement without waiting for all of it, for a caller that keeps sending while earlier
  // records are in flight (the processor's workers: waiting for each batch's acknowledgement
  // left a core idle). `checkpoint()` marks everything sent so far; `acknowledged(mark, wait)`
  // serves delivery reports for up to `wait` and is true once everything sent before the mark
  // is durably accepted, false while some of it is in flight, and an error when some of it
  // failed for good (reported once, for the first checkpoint that covers it). Call both from
  // the sending thread. The default is flush(): buses that accept on send (memory).
  virtual uint64_t checkpoint() { return 0; }
  virtual Result<bool> acknowledged(uint64_t mark, Millis wait);
};

class Consumer {
 public:
  virtual ~Consumer() = default;
  // Up to `max` messages from this member's partitions, waiting up to `timeout` for the first.
  // An empty vector means nothing arrived in time (or the bus is shutting down).
  virtual Result<std::vector<Message>> poll(size_t max, Millis timeout) = 0;
  // Acknowledges processing: only call after every sink has acknowledged the writes.
  virtual Status commit(const OffsetMap& offsets) = 0;
  // The partitions currently assigned to this member.
  virtual std::vector<TopicPartition> assignment() const = 0;
  // Partitions taken from this member since the last call (a rebalance moved them to another
  // member, or the member lost them). Their per-key state must be dropped: the next owner
  // rebuilds it (see ConsumerOptions::rebuild_window). Messages of a revoked partition that were
  // fetched but not yet returned are never returned.
  virtual std::vector<TopicPartition> take_revoked() { return {}; }
  virtual void close() = 0;
};

// Reads the history of one partition, outside any consumer group (replay): every message from a
// start time up to the end of the partition as it was when the reader was made.
class HistoryReader {
 public:
  virtual ~HistoryReader() = default;
  // Up to `max` messages in offset order; an empty vector means the end was reached.
  virtual Result<std::vector<Message>> read(size_t max) = 0;
};

struct TopicStats {
  int64_t produced = 0;  // total messages appended
  int64_t retained = 0;  // messages still held (not yet committed by every group)
};

// How a producer's records reach the bus. Both keep each partition's order and never drop.
// `idempotent`: a retry after a lost acknowledgement is de-duplicated by the bus, so a record is
// stored once (sources -> raw: a reading exists once). `ordered`: such a retry may store a
// record twice; for outputs that are re-emitted byte-identically on replay anyway and whose sinks
// are idempotent (the processor's). On Kafka it is the cheaper one: librdkafka 2.0's idempotent
// producer busy-polls while acknowledgements are pending. The memory bus ignores it.
enum class ProducerDelivery { idempotent, ordered };
struct ProducerOptions {
  ProducerDelivery delivery = ProducerDelivery::idempotent;
  // How long records wait to fill a request, instead of the bus's setting (Kafka: linger.ms),
  // for a caller that sends its records in bursts (the processor's workers). Ignored by memory.
  std::optional<int64_t> linger_ms;
};

struct ConsumerOptions {
  // When a partition is assigned to this member and its group has committed on it before, the
  // member first re-reads the messages appended during this window before the committed offset
  // (by append time), flagged `replay`, so per-key state (cleaning windows, open aggregates)
  // is rebuilt before new messages arrive. 0: start at the committed offset. Buses that keep no
  // history (memory) ignore it.
  Millis rebuild_window{0};
};

class Bus {
 public:
  virtual ~Bus() = default;
  virtual Result<std::unique_ptr<Producer>> producer(const ProducerOptions& options) = 0;
  Result<std::unique_ptr<Producer>> producer() { return producer(ProducerOptions{}); }
  // A member of consumer group `group` reading `topics`; members of one group share partitions.
  virtual Result<std::unique_ptr<Consumer>> consumer(const std::string& group,
                                                     const std::vector<Topic>& topics,
                                                     const ConsumerOptions& options) = 0;
  Result<std::unique_ptr<Consumer>> consumer(const std::string& group,
                                             const std::vector<Topic>& topics) {
    return consumer(group, topics, ConsumerOptions{});
  }
  virtual int32_t partitions(Topic topic) const = 0;
  // Committed offset of a group on a partition (-1 when it has never committed).
  virtual int64_t committed(const std::string& group, TopicPartition tp) const = 0;
  virtual TopicStats stats(Topic topic) const = 0;
  // From the first message of `partition` appended at or after `from`. A bus that keeps no
  // history (memory) fails with Errc::not_found, saying where history is kept instead.
  virtual Result<std::unique_ptr<HistoryReader>> history(Topic topic, int32_t partition,
                                                         Timestamp from) = 0;
  // Wakes every blocked producer and consumer; later calls fail with bus_closed.
  virtual void shutdown() = 0;
};

}  // namespace envmon::bus
