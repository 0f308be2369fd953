#include "bus/kafka/kafka_admin.h"

#include <array>
#include <chrono>
#include <thread>

namespace envmon::bus::kafka {
namespace {

struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
};
struct NewTopicDeleter {
  void operator()(rd_kafka_NewTopic_t* t) const { rd_kafka_NewTopic_destroy(t); }
};
struct GroupOffsetsDeleter {
  void operator()(rd_kafka_ListConsumerGroupOffsets_t* g) const {
    rd_kafka_ListConsumerGroupOffsets_destroy(g);
  }
};
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, NewTopicDeleter>;
using GroupOffsetsPtr = std::unique_ptr<rd_kafka_ListConsumerGroupOffsets_t, GroupOffsetsDeleter>;

int ms(Millis m) {
  return static_cast<int>(m.count());
}

Result<AdminOptionsPtr> admin_options(rd_kafka_t* rk, rd_kafka_admin_op_t op, Millis timeout) {
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, op));
  std::array<char, 256> err{};
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), ms(timeout), err.data(),
                                                err.size()) ||
      (op == RD_KAFKA_ADMIN_OP_CREATETOPICS &&
       rd_kafka_AdminOptions_set_operation_timeout(options.get(), ms(timeout), err.data(),
                                                   err.size()))) {
    return Error(Errc::invalid_argument, std::string("admin options: ") + err.data());
  }
  return options;
}

// Waits for the result of an admin request issued on `queue`.
Result<EventPtr> await_result(rd_kafka_queue_t* queue, Millis timeout, std::string_view what) {
  // The request has its own timeout; the extra second lets its timeout error arrive first.
  EventPtr event(rd_kafka_queue_poll(queue, ms(timeout) + 1000));
  if (!event)
    return Error(Errc::net_timeout, std::string(what) + ": no answer from the brokers",
                 Retryable::yes);
  if (auto err = rd_kafka_event_error(event.get())) {
    return Error(kafka_error(err, what).code(),
                 std::string(what) + ": " + rd_kafka_event_error_string(event.get()),
                 Retryable::yes);
  }
  return event;
}

Result<NewTopicPtr> new_topic(const BusState& state, Topic t) {
  const KafkaBusConfig& c = state.config;
  std::array<char, 256> err{};
  NewTopicPtr topic(rd_kafka_NewTopic_new(state.topic_of(t).c_str(), static_cast<int>(c.partitions),
                                          static_cast<int>(c.replication_factor), err.data(),
                                          err.size()));
  if (!topic)
    return Error(Errc::config_bad_value, "topic " + state.topic_of(t) + ": " + err.data());
  const int64_t hours = t == Topic::dead_letter ? c.retention_dead_letter_hours : c.retention_hours;
  const std::string retention_ms = std::to_string(hours * 3600 * 1000);
  if (auto e = rd_kafka_NewTopic_set_config(topic.get(), "retention.ms", retention_ms.c_str())) {
    return kafka_error(e, "topic " + state.topic_of(t) + " retention.ms");
  }
  // A batch that does not compress at all must still fit (the broker checks the stored size).
  const std::string max_message = std::to_string(c.request_max_bytes());
  if (auto e = rd_kafka_NewTopic_set_config(topic.get(), "max.message.bytes", max_message.c_str())) {
    return kafka_error(e, "topic " + state.topic_of(t) + " max.message.bytes");
  }
  return topic;
}

Status create_topics(rd_kafka_t* rk, const BusState& state, const std::vector<Topic>& missing) {
  const Millis timeout(state.config.admin_timeout_ms);
  std::vector<NewTopicPtr> owned;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (Topic t : missing) {
    auto topic = new_topic(state, t);
    if (!topic.ok()) return topic.error();
    raw.push_back(topic->get());
    owned.push_back(std::move(*topic));
  }
  auto options = admin_options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
  if (!options.ok()) return options.error();
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, raw.data(), raw.size(), options->get(), queue.get());
  auto event = await_result(queue.get(), timeout, "create topics");
  if (!event.ok()) return event.error();
  size_t n = 0;
  const auto** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event->get()), &n);
  for (size_t i = 0; i < n; ++i) {
    const auto err = rd_kafka_topic_result_error(results[i]);
    const std::string name = rd_kafka_topic_result_name(results[i]);
    if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) continue;  // another process won the race
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* why = rd_kafka_topic_result_error_string(results[i]);
      return kafka_error(err,
                         "create topic " + name + (why != nullptr ? std::string(": ") + why : ""));
    }
    state.log.info("topic created", {{"topic", name},
                                     {"partitions", state.config.partitions},
                                     {"replication_factor", state.config.replication_factor}});
  }
  return ok_status();
}

// Records the partition counts; returns the topics that do not exist (yet).
std::vector<Topic> record_partitions(BusState& state, const std::map<std::string, int32_t>& found,
                                     bool log_mismatch) {
  std::vector<Topic> missing;
  for (Topic t : kAllTopics) {
    auto it = found.find(state.topic_of(t));
    if (it == found.end() || it->second <= 0) {
      missing.push_back(t);
      continue;
    }
    state.partitions[static_cast<size_t>(t)] = it->second;
    if (log_mismatch && it->second != state.config.partitions) {
      state.log.warn("existing topic has a different partition count; using it as it is",
                     {{"topic", it->first},
                      {"partitions", it->second},
                      {"configured", state.config.partitions}});
    }
  }
  return missing;
}

}  // namespace

Result<std::map<std::string, int32_t>> topic_partitions(rd_kafka_t* rk, Millis timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  if (auto err = rd_kafka_metadata(rk, 1, nullptr, &raw, ms(timeout))) {
    return kafka_error(err, "metadata request");
  }
  MetadataPtr md(raw);
  std::map<std::string, int32_t> out;
  for (int i = 0; i < md->topic_cnt; ++i) {
    const auto& t = md->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_NO_ERROR) out[t.topic] = t.partition_cnt;
  }
  return out;
}

Status ensure_topics(rd_kafka_t* rk, BusState& state) {
  const Millis timeout(state.config.admin_timeout_ms);
  auto found = topic_partitions(rk, timeout);
  if (!found.ok())
    return found.error().with_context("Kafka bus at " + state.config.bootstrap_servers);
  std::vector<Topic> missing = record_partitions(state, *found, true);
  if (missing.empty()) return ok_status();
  ENVMON_TRY(create_topics(rk, state, missing));
  // Creation is acknowledged by the controller before every broker's metadata shows it.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!missing.empty()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Error(Errc::net_timeout,
                   "created topics do not show in the metadata: " + state.topic_of(missing.front()),
                   Retryable::yes);
    }
    std::this_thread::sleep_for(Millis(100));
    found = topic_partitions(rk, timeout);
    if (!found.ok()) return found.error();
    missing = record_partitions(state, *found, false);
  }
  return ok_status();
}

Result<std::vector<int64_t>> committed_offsets(rd_kafka_t* rk, const std::string& group_id,
                                               const std::string& topic, int32_t partitions,
                                               Millis timeout) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int32_t p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  GroupOffsetsPtr request(rd_kafka_ListConsumerGroupOffsets_new(group_id.c_str(), list.get()));
  auto options = admin_options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeout);
  if (!options.ok()) return options.error();
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_ListConsumerGroupOffsets_t* one = request.get();
  rd_kafka_ListConsumerGroupOffsets(rk, &one, 1, options->get(), queue.get());
  auto event = await_result(queue.get(), timeout, "committed offsets of " + group_id);
  if (!event.ok()) return event.error();
  size_t n = 0;
  const auto** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
      rd_kafka_event_ListConsumerGroupOffsets_result(event->get()), &n);
  std::vector<int64_t> out(static_cast<size_t>(partitions), -1);
  for (size_t g = 0; g < n; ++g) {
    if (const rd_kafka_error_t* e = rd_kafka_group_result_error(groups[g])) {
      return Error(Errc::io, "committed offsets of " + group_id + ": " + rd_kafka_error_string(e),
                   Retryable::yes);
    }
    const rd_kafka_topic_partition_list_t* parts = rd_kafka_group_result_partitions(groups[g]);
    for (int i = 0; parts != nullptr && i < parts->cnt; ++i) {
      const auto& e = parts->elems[i];
      if (e.partition >= 0 && e.partition < partitions && e.offset >= 0) {
        out[static_cast<size_t>(e.partition)] = e.offset;
      }
    }
  }
  return out;
}

Result<std::pair<int64_t, int64_t>> watermarks(rd_kafka_t* rk, const std::string& topic,
                                               int32_t partition, Millis timeout) {
  int64_t low = 0;
  int64_t high = 0;
  if (auto err = rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &low, &high,
                                                  ms(timeout))) {
    return kafka_error(err, "watermarks of " + topic + "[" + std::to_string(partition) + "]");
  }
  return std::make_pair(low, high);
}

}  // namespace envmon::bus::kafka
