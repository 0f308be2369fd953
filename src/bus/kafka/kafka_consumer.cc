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
                                                             const std::vector<Topic>& topics,
                                                             const ConsumerOptions& options) {
  const KafkaBusConfig& c = state.config;
  auto conf = make_conf(state, {{"group.id", c.topic_prefix + group},
                                {"enable.auto.commit", "false"},
                                {"enable.auto.offset.store", "false"},
                                {"auto.offset.reset", "earliest"},
                                {"partition.assignment.strategy", "cooperative-sticky"},
                                {"session.timeout.ms", std::to_string(c.session_timeout_ms)},
                                {"heartbeat.interval.ms", std::to_string(c.heartbeat_interval_ms)},
                                {"max.poll.interval.ms", std::to_string(c.max_poll_interval_ms)},
                                {"queued.min.messages", std::to_string(c.prefetch_messages)}});
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_rebalance_cb(conf->get(), rebalance_callback);
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
  return std::make_unique<KafkaConsumer>(state, std::move(*rk), group, options);
}

KafkaConsumer::KafkaConsumer(BusState& state, HandlePtr rk, std::string group,
                             ConsumerOptions options)
    : state_(state),
      rk_(std::move(rk)),
      queue_(rd_kafka_queue_get_consumer(rk_.get())),
      group_(std::move(group)),
      options_(options) {
  std::lock_guard lock(state_.consumers_mutex);
  state_.consumers[rk_.get()] = this;
}

KafkaConsumer::~KafkaConsumer() {
  close();
  std::lock_guard lock(state_.consumers_mutex);
  state_.consumers.erase(rk_.get());
}

Result<std::optional<Message>> KafkaConsumer::next(Millis wait) {
  return accept(MessagePtr(rd_kafka_consumer_poll(rk_.get(), static_cast<int>(wait.count()))));
}

Result<bool> KafkaConsumer::drain(size_t max, std::vector<Message>& out, int64_t& records) {
  std::array<rd_kafka_message_t*, 256> got{};
  const ssize_t n = rd_kafka_consume_batch_queue(queue_.get(), 0, got.data(),
                                                 std::min(max, got.size()));
  if (n <= 0) return false;
  // Every record is owned (and destroyed) here, also after an error.
  std::array<MessagePtr, 256> owned;
  for (ssize_t i = 0; i < n; ++i)
    owned[static_cast<size_t>(i)].reset(got[static_cast<size_t>(i)]);
  for (ssize_t i = 0; i < n; ++i) {
    auto m = accept(std::move(owned[static_cast<size_t>(i)]));
    if (!m.ok()) return m.error();
    if (!m->has_value()) continue;
    unpack_batch(std::move(**m), out);
    ++records;
  }
  return true;
}

Result<std::optional<Message>> KafkaConsumer::accept(MessagePtr record) {
  if (!record) return std::optional<Message>();
  if (record->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    Message m = decode_record(state_, *record);
    const TopicPartition tp{m.topic, m.partition};
    // Runs of one partition: the map is searched once per run.
    if (last_append_ == nullptr || last_append_tp_ != tp) {
      last_append_ = &last_append_ms_[tp];
      last_append_tp_ = tp;
    }
    *last_append_ = to_unix_ms(m.timestamp);
    if (!replay_until_.empty()) {
      // Below the committed offset during a rebuild: the previous owner already emitted it.
      if (auto it = replay_until_.find(tp); it != replay_until_.end()) {
        if (m.offset < it->second) {
          m.replay = true;
        } else {
          state_.log.info("state rebuilt", {{"group", group_},
                                            {"partition", std::to_string(tp.partition)},
                                            {"resumed_at", std::to_string(m.offset)}});
          replay_until_.erase(it);
        }
      }
    }
    return std::optional<Message>(std::move(m));
  }
  std::array<char, 256> reason{};
  if (rd_kafka_fatal_error(rk_.get(), reason.data(), reason.size()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error(Errc::io, "consumer of group " + group_ + " failed: " + reason.data());
  }
  // Connection losses and the like: librdkafka recovers by itself, the message says why.
  if (state_.metrics) state_.metrics->error("poll", rd_kafka_err2name(record->err));
  state_.log.warn("consumer event",
                  {{"group", group_}, {"error", rd_kafka_message_errstr(record.get())}});
  return std::optional<Message>();
}

// Only a fatal error fails a poll. The records this poll had fetched are dropped with it: they
// are not committed, and since every later poll fails too, nothing after them can be, so the
// group reads them again (after a restart, or from another member).
Error KafkaConsumer::fail(Error e) {
  failed_ = e;
  return e;
}

Result<std::vector<Message>> KafkaConsumer::poll(size_t max, Millis timeout) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  if (failed_) return *failed_;
  const auto deadline = SteadyClock::now() + timeout;
  std::vector<Message> out;
  out.reserve(std::min<size_t>(max, 4096));  // growing by doubling moved every message ~twice
  int64_t received = 0;  // records, counted once per poll (a counter update per record costs)
  while (out.size() < max && !state_.closed) {
    const Millis left = remaining(deadline);
    if (!out.empty()) {
      // Past the first record: take what is ready in bulk.
      auto more = drain(max - out.size(), out, received);
      if (!more.ok()) return fail(more.error());
      if (!revoked_in_poll_.empty()) drop_revoked(out);
      if (!*more) break;
      continue;
    }
    auto got = next(std::min(left, kSlice));
    if (!got.ok()) return fail(got.error());
    // A rebalance served by this call: what was fetched before it from a revoked partition
    // belongs to the next owner (librdkafka itself discards what it had prefetched).
    if (!revoked_in_poll_.empty()) drop_revoked(out);
    if (got->has_value()) {
      unpack_batch(std::move(**got), out);
      ++received;
    } else if (!out.empty() || left == Millis(0)) {
      break;
    }
  }
  if (state_.metrics && received > 0) state_.metrics->received(static_cast<double>(received));
  return out;
}

Status KafkaConsumer::commit(const OffsetMap& offsets) {
  if (closed_) return Error(Errc::bus_closed, "consumer is closed");
  if (offsets.empty()) return ok_status();
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, next] : offsets) {
    auto* elem = rd_kafka_topic_partition_list_add(list.get(), state_.topic_of(tp.topic).c_str(),
                                                   tp.partition);
    elem->offset = next;
    if (auto it = last_append_ms_.find(tp); it != last_append_ms_.end()) {
      set_commit_time(*elem, it->second);
    }
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

// librdkafka before 2.3.0 aborts when a cooperative-sticky member is destroyed after joining
// its group but before its first assignment (librdkafka issue #4312; Debian bookworm ships
// 2.0.2). So a member closed right after it started serves the group protocol until that
// assignment arrives, bounded by the session timeout. Messages it polls meanwhile are not
// committed: the group reads them again.
void KafkaConsumer::await_first_assignment() {
  constexpr int kFixedVersion = 0x020300ff;
  if (assigned_once_ || rd_kafka_version() >= kFixedVersion) return;
  const auto deadline = SteadyClock::now() + Millis(state_.config.session_timeout_ms);
  while (!assigned_once_ && SteadyClock::now() < deadline) {
    MessagePtr ignored(rd_kafka_consumer_poll(rk_.get(), 100));
  }
}

void KafkaConsumer::close() {
  std::lock_guard lock(close_mutex_);
  if (closed_) return;
  closed_ = true;
  await_first_assignment();
  // Leaves the group at once (partitions move without waiting for the session timeout);
  // nothing is committed here: auto commit is off, uncommitted work is redelivered.
  if (auto err = rd_kafka_consumer_close(rk_.get())) {
    state_.log.warn("consumer close", {{"group", group_}, {"error", rd_kafka_err2str(err)}});
  }
}

}  // namespace envmon::bus::kafka
