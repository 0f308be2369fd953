#pragma once

#include <array>
#include <atomic>
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
  static Result<std::unique_ptr<KafkaProducer>> create(BusState& state);
  KafkaProducer(BusState& state, HandlePtr rk, std::array<TopicPtr, kTopicCount> topics)
      : state_(state), rk_(std::move(rk)), topics_(std::move(topics)) {}
  ~KafkaProducer() override;

  Status send(Message message, Millis timeout) override;
  Status flush(Millis timeout) override;

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

 private:
  Status take_failure();
  Status produce_once(Message& message, int32_t partition, bool& queue_full);

  BusState& state_;
  Delivery delivery_;  // declared before rk_: destroyed after the handle stops calling back
  HandlePtr rk_;
  // One handle per topic, made once: naming the topic in each produce call would make
  // librdkafka look it up (and the bus build its name) for every message. Declared after rk_
  // so they are released before the client.
  std::array<TopicPtr, kTopicCount> topics_;
};

// A member of a consumer group (manual commits, cooperative-sticky assignment).
class KafkaConsumer final : public Consumer {
 public:
  static Result<std::unique_ptr<KafkaConsumer>> create(BusState& state, const std::string& group,
                                                       const std::vector<Topic>& topics);
  KafkaConsumer(BusState& state, HandlePtr rk, std::string group)
      : state_(state), rk_(std::move(rk)), group_(std::move(group)) {}
  ~KafkaConsumer() override { close(); }

  Result<std::vector<Message>> poll(size_t max, Millis timeout) override;
  Status commit(const OffsetMap& offsets) override;
  std::vector<TopicPartition> assignment() const override;
  void close() override;

 private:
  // One message or event from librdkafka; nullopt when nothing (or only an event) arrived.
  Result<std::optional<Message>> next(Millis wait);

  BusState& state_;
  HandlePtr rk_;
  std::string group_;
  std::mutex close_mutex_;
  std::atomic<bool> closed_{false};
};

// Message <-> Kafka record fields shared by both sides.
std::optional<Topic> topic_from_name(const BusState& state, std::string_view name);
Message decode_record(const BusState& state, const rd_kafka_message_t& record);

}  // namespace envmon::bus::kafka
