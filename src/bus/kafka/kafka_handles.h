#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <librdkafka/rdkafka.h>

#include "bus/bus.h"
#include "bus/kafka/kafka_bus_config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/result.h"

namespace envmon::bus::kafka {

// RAII owners of librdkafka's C objects (the house rule: no raw new/delete, so no raw destroy).
struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct TopicDeleter {
  void operator()(rd_kafka_topic_t* t) const { rd_kafka_topic_destroy(t); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* m) const { rd_kafka_metadata_destroy(m); }
};
using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

inline constexpr const char* kSchemaVersionHeader = "envmon-schema-version";
inline constexpr const char* kReplayHeader = "envmon-replay";

class KafkaConsumer;

// State every client of one bus shares: the settings, the topic layout found at start-up and
// the shutdown flag that wakes blocked calls. Owned by the bus, which outlives its clients.
struct BusState {
  KafkaBusConfig config;
  std::array<int32_t, kTopicCount> partitions{};
  std::atomic<bool> closed{false};
  Logger log{"bus:kafka"};
  // The component metrics every envmon component emits (kind bus, type kafka): received =
  // records polled, sent = deliveries acknowledged (a batch record counts once in both, however
  // many messages it holds), errors by stage, discarded by reason.
  // Absent when the bus was made without a registry (tools, tests).
  std::unique_ptr<ComponentMetrics> metrics;
  // Consumers by handle: librdkafka's rebalance callback receives the client-wide opaque (this
  // state, which the log callback needs too), so it finds its consumer here.
  std::mutex consumers_mutex;
  std::map<const rd_kafka_t*, KafkaConsumer*> consumers;

  std::string topic_of(Topic t) const { return config.topic_prefix + std::string(topic_name(t)); }
  int32_t partitions_of(Topic t) const { return partitions[static_cast<size_t>(t)]; }
};

// Time left until `deadline`, never negative (blocking calls wait in slices of it).
inline Millis remaining(std::chrono::steady_clock::time_point deadline) {
  return std::max(Millis(0),
                  std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now()));
}

// A configuration with the common settings (bootstrap, client id, logging) plus `extra`.
// The client's opaque is `state` (its logger receives librdkafka's log lines).
Result<ConfPtr> make_conf(BusState& state,
                          std::initializer_list<std::pair<const char*, std::string>> extra);
Status set_conf(rd_kafka_conf_t* conf, const char* key, const std::string& value);
// Creates a client; the handle takes ownership of `conf` only on success (librdkafka's rule).
Result<HandlePtr> make_handle(rd_kafka_type_t type, ConfPtr conf);

// librdkafka error -> envmon Error. Transient broker/network conditions are retryable.
Error kafka_error(rd_kafka_resp_err_t err, std::string_view context);
Error kafka_error(rd_kafka_error_t* err, std::string_view context);  // destroys `err`
Error closed_error();

}  // namespace envmon::bus::kafka
