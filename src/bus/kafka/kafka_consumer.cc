#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>

#include "bus/kafka/kafka_clients.h"

namespace envmon::bus::kafka {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr Millis kSlice{50};           // longest a blocked poll takes to notice shutdown()
constexpr int32_t kAnyPartition = -1;  // RD_KAFKA_PARTITION_UA without its C-style cast

std::string describe(const rd_kafka_topic_partition_list_t* parts) {
  std::string out;
  for (int i = 0; i < parts->cnt; ++i) {
    if (!out.empty()) out += ",";
    out +=
        std::string(parts->elems[i].topic) + "[" + std::to_string(parts->elems[i].partition) + "]";
  }
  return out;
}

// Both protocols are handled so a group can be migrated; envmon asks for cooperative-sticky,
// where a rebalance moves only the partitions that change owner (no stop-the-world revoke).
void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque) {
  auto* state = static_cast<BusState*>(opaque);
  const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  const bool assign = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
  rd_kafka_error_t* error = nullptr;
  rd_kafka_resp_err_t eager_err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (cooperative) {
    error =
        assign ? rd_kafka_incremental_assign(rk, parts) : rd_kafka_incremental_unassign(rk, parts);
  } else {
    eager_err = rd_kafka_assign(rk, assign ? parts : nullptr);
  }
  if (parts->cnt > 0) {
    state->log.info(assign ? "partitions assigned" : "partitions revoked",
                    {{"client", rd_kafka_name(rk)},
                     {"partitions", describe(parts)},
                     {"lost", rd_kafka_assignment_lost(rk) != 0 ? "true" : "false"}});
  }
  if (error != nullptr) {
    state->log.error("rebalance failed", {{"error", rd_kafka_error_string(error)}});
    rd_kafka_error_destroy(error);
  } else if (eager_err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    state->log.error("rebalance failed", {{"error", rd_kafka_err2str(eager_err)}});
  }
}

std::optional<std::string_view> header(rd_kafka_headers_t* headers, const char* name) {
  const void* value = nullptr;
  size_t size = 0;
  if (headers == nullptr ||
      rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  return std::string_view(static_cast<const char*>(value), value == nullptr ? 0 : size);
}

// Missing header: a producer outside envmon, assumed v1. Unreadable: 0, which no codec accepts,
// so the processor dead-letters the message instead of guessing.
int32_t schema_version_of(rd_kafka_headers_t* headers) {
  const auto text = header(headers, kSchemaVersionHeader);
  if (!text) return 1;
  int32_t v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  return ec == std::errc() && end == text->data() + text->size() ? v : 0;
}

std::string bytes(const void* data, size_t size) {
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

}  // namespace

std::optional<Topic> topic_from_name(const BusState& state, std::string_view name) {
  const std::string& prefix = state.config.topic_prefix;
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  return parse_topic(name.substr(prefix.size()));
}

Message decode_record(const BusState& state, const rd_kafka_message_t& record) {
  Message m;
  m.topic = topic_from_name(state, rd_kafka_topic_name(record.rkt)).value_or(Topic::dead_letter);
  m.key = bytes(record.key, record.key_len);
  m.payload = bytes(record.payload, record.len);
  m.partition = record.partition;
  m.offset = record.offset;
  const int64_t ts = rd_kafka_message_timestamp(&record, nullptr);
  m.timestamp = ts >= 0 ? from_unix_ms(ts) : Timestamp{};
  rd_kafka_headers_t* headers = nullptr;
  // Headers are parsed lazily; the const_cast is librdkafka's API shape (it caches the parse).
  if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(&record), &headers) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    headers = nullptr;
  }
  m.schema_version = schema_version_of(headers);
  const auto replay = header(headers, kReplayHeader);
  m.replay = replay && (*replay == "1" || *replay == "true");
  return m;
}

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::create(BusState& state,
                                                             const std::string& group,
                                                             const std::vector<Topic>& topics) {
  const KafkaBusConfig& c = state.config;
  auto conf = make_conf(state, {{"group.id", c.topic_prefix + group},
                                {"enable.auto.commit", "false"},
                                {"enable.auto.offset.store", "false"},
                                {"auto.offset.reset", "earliest"},
                                {"partition.assignment.strategy", "cooperative-sticky"},
                                {"session.timeout.ms", std::to_string(c.session_timeout_ms)},
                                {"heartbeat.interval.ms", std::to_string(c.heartbeat_interval_ms)},
                                {"max.poll.interval.ms", std::to_string(c.max_poll_interval_ms)}});
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_rebalance_cb(conf->get(), on_rebalance);
  auto rk = make_handle(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk.ok()) return rk.error();
  rd_kafka_poll_set_consumer(rk->get());  // errors and rebalances are served by consumer_poll
  PartitionListPtr subscription(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (Topic t : topics) {
    rd_kafka_topic_partition_list_add(subscription.get(), state.topic_of(t).c_str(), kAnyPartition);
  }
  if (auto err = rd_kafka_subscribe(rk->get(), subscription.get())) {
    return kafka_error(err, "subscribe group " + group);
  }
  return std::make_unique<KafkaConsumer>(state, std::move(*rk), group);
}

Result<std::optional<Message>> KafkaConsumer::next(Millis wait) {
  MessagePtr record(rd_kafka_consumer_poll(rk_.get(), static_cast<int>(wait.count())));
  if (!record) return std::optional<Message>();
  if (record->err == RD_KAFKA_RESP_ERR_NO_ERROR)
    return std::optional<Message>(decode_record(state_, *record));
  std::array<char, 256> reason{};
  if (rd_kafka_fatal_error(rk_.get(), reason.data(), reason.size()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error(Errc::io, "consumer of group " + group_ + " failed: " + reason.data());
  }
  // Connection losses and the like: librdkafka recovers by itself, the message says why.
  state_.log.warn("consumer event",
                  {{"group", group_}, {"error", rd_kafka_message_errstr(record.get())}});
  return std::optional<Message>();
}

Result<std::vector<Message>> KafkaConsumer::poll(size_t max, Millis timeout) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  const auto deadline = SteadyClock::now() + timeout;
  std::vector<Message> out;
  while (out.size() < max && !state_.closed) {
    const Millis left = remaining(deadline);
    auto got = next(out.empty() ? std::min(left, kSlice) : Millis(0));
    if (!got.ok()) return got.error();
    if (got->has_value()) {
      out.push_back(std::move(**got));
    } else if (!out.empty() || left == Millis(0)) {
      break;
    }
  }
  return out;
}

Status KafkaConsumer::commit(const OffsetMap& offsets) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  if (offsets.empty()) return ok_status();
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, next] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), state_.topic_of(tp.topic).c_str(), tp.partition)
        ->offset = next;
  }
  const auto failed = [&](rd_kafka_resp_err_t err) {  // the context is only built on failure
    return kafka_error(err, "commit group " + group_ + " " + describe(list.get()));
  };
  if (auto err = rd_kafka_commit(rk_.get(), list.get(), 0)) return failed(err);
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) return failed(list->elems[i].err);
  }
  return ok_status();
}

std::vector<TopicPartition> KafkaConsumer::assignment() const {
  std::vector<TopicPartition> out;
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (closed_ || rd_kafka_assignment(rk_.get(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR) return out;
  PartitionListPtr list(raw);
  for (int i = 0; i < list->cnt; ++i) {
    if (auto t = topic_from_name(state_, list->elems[i].topic))
      out.push_back({*t, list->elems[i].partition});
  }
  std::sort(out.begin(), out.end());
  return out;
}

void KafkaConsumer::close() {
  std::lock_guard lock(close_mutex_);
  if (closed_) return;
  closed_ = true;
  // Leaves the group at once (partitions move without waiting for the session timeout);
  // nothing is committed here: auto commit is off, uncommitted work is redelivered.
  if (auto err = rd_kafka_consumer_close(rk_.get())) {
    state_.log.warn("consumer close", {{"group", group_}, {"error", rd_kafka_err2str(err)}});
  }
}

}  // namespace envmon::bus::kafka
