#pragma once

#include <array>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "bus/kafka/kafka_handles.h"

namespace envmon::bus::kafka {

// Idempotent producer (enable.idempotence=true, acks=all): the broker de-duplicates librdkafka's
// internal retries, so a send that succeeds is written once and in order per partition.
class KafkaProducer final : public Producer {
 public:
  static Result<std::unique_ptr<KafkaProducer>> create(BusState& state,
                                                       const ProducerOptions& options = {});
  KafkaProducer(BusState& state, HandlePtr rk, std::array<TopicPtr, kTopicCount> topics)
      : state_(state), rk_(std::move(rk)), topics_(std::move(topics)) {
    epochs_.emplace_back(0, delivery_);
  }
  ~KafkaProducer() override;

  Status send(const Message& message, Millis timeout) override;
  Status flush(Millis timeout) override;
  uint64_t checkpoint() override;
  Result<bool> acknowledged(uint64_t mark, Millis wait) override;

  // Delivery reports seen so far (served by send and flush).
  int64_t delivered() const { return delivery_.delivered.load(); }
  int64_t failed() const { return delivery_.failed.load(); }

  // Delivery reports land here; the first permanent failure waits for the next send/flush.
  struct Delivery {
    std::atomic<int64_t> delivered{0};
    std::atomic<int64_t> failed{0};
    std::atomic<bool> has_failure{false};  // lets send() skip the mutex on the common path
    std::mutex mutex;
    std::optional<Error> failure;
  };
  // The records sent between two checkpoints; each record's opaque points at its epoch, whose
  // counters its delivery report moves (on the thread that serves reports: the sender's).
  struct Epoch {
    Epoch(uint64_t epoch_id, Delivery& d) : id(epoch_id), delivery(d) {}
    const uint64_t id;
    Delivery& delivery;
    int64_t sent = 0;                  // sending thread only
    std::atomic<int64_t> failed{0};    // moved before `settled`
    std::atomic<int64_t> settled{0};   // delivery reports served, either way
  };

 private:
  Status take_failure();
  Status fatal_failure();
  // Adds the deliveries acknowledged since the last call to the bus's `sent` counter (per
  // flush, not per message: the counter is shared by every thread).
  void publish_sent();
  Status produce_once(const Message& message, int32_t partition, Timestamp at, bool& queue_full);

  BusState& state_;
  Delivery delivery_;  // declared before rk_: destroyed after the handle stops calling back
  // Front: the oldest epoch not yet settled; back: the open one (records sent now). A deque
  // keeps each epoch in place while records point at it. Sending thread only; before rk_ too.
  std::deque<Epoch> epochs_;
  HandlePtr rk_;
  // One handle per topic, made once: naming the topic in each produce call would make
  // librdkafka look it up (and the bus build its name) for every message. Declared after rk_
  // so they are released before the client.
  std::array<TopicPtr, kTopicCount> topics_;
  int64_t published_sent_ = 0;
  // Set by the first checkpoint(): delivery failures are then reported per checkpoint by
  // acknowledged(), not by the next send (which would blame an unrelated record).
  bool tracking_ = false;
};

// A member of a consumer group (manual commits, cooperative-sticky assignment).
class KafkaConsumer final : public Consumer {
 public:
  static Result<std::unique_ptr<KafkaConsumer>> create(BusState& state, const std::string& group,
                                                       const std::vector<Topic>& topics,
                                                       const ConsumerOptions& options);
  KafkaConsumer(BusState& state, HandlePtr rk, std::string group, ConsumerOptions options);
  ~KafkaConsumer() override;

  Result<std::vector<Message>> poll(size_t max, Millis timeout) override;
  // Each partition's commit carries, as metadata, the append time of the last message polled
  // from it: the next owner starts its state rebuild from that time (kafka_rebalance.cc).
  Status commit(const OffsetMap& offsets) override;
  std::vector<TopicPartition> assignment() const override;
  std::vector<TopicPartition> take_revoked() override;
  void close() override;

  // Called by librdkafka's rebalance callback, on the thread that polls (kafka_rebalance.cc).
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);

 private:
  // One message or event from librdkafka; nullopt when nothing (or only an event) arrived.
  Result<std::optional<Message>> next(Millis wait);
  Result<std::optional<Message>> accept(MessagePtr record);
  // What is ready right now, up to `max` records, into `out` (one queue hand-over per call
  // instead of one per record); false when nothing was ready.
  Result<bool> drain(size_t max, std::vector<Message>& out, int64_t& records);
  // Sets the start offset of each assigned partition to the rebuild point, when there is one.
  void plan_rebuild(rd_kafka_topic_partition_list_t* parts);
  void forget(const rd_kafka_topic_partition_list_t* parts);
  bool starts_log(const char* topic, int32_t partition, int64_t offset);
  void await_first_assignment();
  void drop_revoked(std::vector<Message>& batch);
  Error fail(Error e);  // makes a fatal poll error sticky

  BusState& state_;
  HandlePtr rk_;
  QueuePtr queue_;  // the consumer queue of rk_ (released before it)
  std::string group_;
  ConsumerOptions options_;
  // Touched only by the polling thread (rebalances are served inside poll and close).
  std::map<TopicPartition, int64_t> replay_until_;  // rebuild in progress: replay below this
  std::map<TopicPartition, int64_t> last_append_ms_;
  int64_t* last_append_ = nullptr;  // the entry of the last record's partition (map nodes stay)
  TopicPartition last_append_tp_{Topic::raw, -1};
  std::vector<TopicPartition> revoked_in_poll_;
  // A fatal consumer error, returned by every later poll: the records fetched with it are
  // dropped, so a caller must never get (and commit) records after them.
  std::optional<Error> failed_;
  std::atomic<bool> assigned_once_{false};
  std::mutex revoked_mutex_;
  std::vector<TopicPartition> revoked_;  // until take_revoked()
  std::mutex close_mutex_;
  std::atomic<bool> closed_{false};
};

// One partition read from a start time to its high watermark at creation (kafka_history.cc).
class KafkaHistoryReader final : public HistoryReader {
 public:
  static Result<std::unique_ptr<KafkaHistoryReader>> create(BusState& state, Topic topic,
                                                            int32_t partition, Timestamp from);
  KafkaHistoryReader(BusState& state, HandlePtr rk, int64_t next, int64_t end)
      : state_(state), rk_(std::move(rk)), next_(next), end_(end) {}
  ~KafkaHistoryReader() override;
  Result<std::vector<Message>> read(size_t max) override;

 private:
  BusState& state_;
  HandlePtr rk_;
  int64_t next_;  // next offset expected
  int64_t end_;   // high watermark when created: reading stops there
};

// kafka_rebalance.cc: the rebalance callback (dispatches to the consumer of `rk`), the commit
// metadata that carries the last append time, and a printable partition list.
void rebalance_callback(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* parts, void* opaque);
void set_commit_time(rd_kafka_topic_partition_t& elem, int64_t append_ms);
std::optional<int64_t> commit_time(const rd_kafka_topic_partition_t& elem);
std::string describe(const rd_kafka_topic_partition_list_t* parts);

// Message <-> Kafka record fields shared by both sides.
std::optional<Topic> topic_from_name(const BusState& state, std::string_view name);
Message decode_record(const BusState& state, const rd_kafka_message_t& record);

}  // namespace envmon::bus::kafka
