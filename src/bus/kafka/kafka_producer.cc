#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include "bus/kafka/kafka_clients.h"

namespace envmon::bus::kafka {
namespace {

using SteadyClock = std::chrono::steady_clock;
// Blocking waits are cut into slices so shutdown() wakes them within this time.
constexpr Millis kSlice{20};

// Served from rd_kafka_poll/rd_kafka_flush on the calling thread. Each message carries its
// epoch (the producer's records between two checkpoints) as its opaque.
void on_delivery(rd_kafka_t*, const rd_kafka_message_t* record, void* opaque) {
  auto* state = static_cast<BusState*>(opaque);
  auto* epoch = static_cast<KafkaProducer::Epoch*>(record->_private);
  if (epoch == nullptr) return;
  KafkaProducer::Delivery* delivery = &epoch->delivery;
  if (record->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    delivery->delivered.fetch_add(1);
    epoch->settled.fetch_add(1);
    return;
  }
  epoch->failed.fetch_add(1);
  epoch->settled.fetch_add(1);
  if (state->metrics) state->metrics->error("deliver", rd_kafka_err2name(record->err));
  const int64_t failed = delivery->failed.fetch_add(1) + 1;
  const std::string where =
      std::string(rd_kafka_topic_name(record->rkt)) + "[" + std::to_string(record->partition) + "]";
  state->log.error(
      "delivery failed",
      {{"topic", where}, {"error", rd_kafka_err2str(record->err)}, {"failed_total", failed}});
  std::lock_guard lock(delivery->mutex);
  if (!delivery->failure) {
    delivery->failure = kafka_error(record->err, "delivery to " + where + " failed (" +
                                                     std::to_string(failed) + " message(s) lost)");
    delivery->has_failure = true;
  }
}

rd_kafka_vu_t vu(rd_kafka_vtype_t type) {
  rd_kafka_vu_t v{};
  v.vtype = type;
  return v;
}

}  // namespace

// `ordered` (bus.h): no idempotence, one request in flight per connection, so a retry cannot
// overtake a later record; a retry after a lost acknowledgement may store a record twice.
Result<std::unique_ptr<KafkaProducer>> KafkaProducer::create(BusState& state,
                                                             const ProducerOptions& options) {
  const KafkaBusConfig& c = state.config;
  const bool idempotent = options.delivery == ProducerDelivery::idempotent;
  auto conf =
      make_conf(state, {{"enable.idempotence", idempotent ? "true" : "false"},
                        {"max.in.flight.requests.per.connection", idempotent ? "5" : "1"},
                        {"acks", "all"},
                        {"compression.type", std::string(compression_name(c.compression))},
                        {"linger.ms", std::to_string(options.linger_ms.value_or(c.linger_ms))},
                        {"batch.size", std::to_string(c.batch_size_bytes)},
                        {"message.max.bytes", std::to_string(c.request_max_bytes())},
                        {"queue.buffering.max.messages", std::to_string(c.queue_max_messages)},
                        {"message.timeout.ms", std::to_string(c.delivery_timeout_ms)}});
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), on_delivery);
  auto rk = make_handle(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!rk.ok()) return rk.error();
  std::array<TopicPtr, kTopicCount> topics;
  for (Topic t : kAllTopics) {
    TopicPtr& topic = topics[static_cast<size_t>(t)];
    topic.reset(rd_kafka_topic_new(rk->get(), state.topic_of(t).c_str(), nullptr));
    if (!topic) return kafka_error(rd_kafka_last_error(), "producer topic " + state.topic_of(t));
  }
  return std::make_unique<KafkaProducer>(state, std::move(*rk), std::move(topics));
}

KafkaProducer::~KafkaProducer() {
  // Give in-flight messages a last chance; what is left is reported, never dropped silently.
  rd_kafka_flush(rk_.get(), 5000);
  if (const int left = rd_kafka_outq_len(rk_.get()); left > 0) {
    state_.log.error("producer closed with unacknowledged messages", {{"messages", left}});
  }
}

Status KafkaProducer::fatal_failure() {
  std::array<char, 256> reason{};
  if (rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(rk_.get(), reason.data(), reason.size())) {
    return Error(Errc::io, std::string("producer fenced by a fatal error: ") + reason.data() +
                               " (" + rd_kafka_err2name(fatal) + ")");
  }
  return ok_status();
}

Status KafkaProducer::take_failure() {
  ENVMON_TRY(fatal_failure());
  if (!delivery_.has_failure) return ok_status();
  std::lock_guard lock(delivery_.mutex);
  if (!delivery_.failure) return ok_status();
  Error e = *delivery_.failure;
  delivery_.failure.reset();
  delivery_.has_failure = false;
  return e;
}

// Per message: no heap allocation on our side (fixed argument array, version printed on the
// stack, cached topic handle); librdkafka copies key, payload and headers. The const_casts are
// librdkafka's API shape: it takes void* even with RD_KAFKA_MSG_F_COPY, and only reads.
Status KafkaProducer::produce_once(const Message& m, int32_t partition, Timestamp at,
                                   bool& queue_full) {
  rd_kafka_topic_t* topic = topics_[static_cast<size_t>(m.topic)].get();
  std::array<char, 12> version{};
  const auto printed =
      std::to_chars(version.data(), version.data() + version.size(), m.schema_version);
  std::array<rd_kafka_vu_t, 9> vus{};
  size_t n = 0;
  const auto add = [&](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    vus[n] = vu(type);
    return vus[n++];
  };
  add(RD_KAFKA_VTYPE_RKT).u.rkt = topic;
  add(RD_KAFKA_VTYPE_PARTITION).u.i32 = partition;
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  add(RD_KAFKA_VTYPE_KEY).u.mem = {const_cast<char*>(m.key.data()), m.key.size()};
  add(RD_KAFKA_VTYPE_VALUE).u.mem = {const_cast<char*>(m.payload.data()), m.payload.size()};
  add(RD_KAFKA_VTYPE_TIMESTAMP).u.i64 = to_unix_ms(at);
  add(RD_KAFKA_VTYPE_OPAQUE).u.ptr = &epochs_.back();
  // Every record carries its schema version (the contract with other readers of the topics);
  // leaving it off for version 1 saved too little to measure in the Kafka benchmark.
  add(RD_KAFKA_VTYPE_HEADER).u.header = {kSchemaVersionHeader, version.data(),
                                         printed.ptr - version.data()};
  if (m.replay) add(RD_KAFKA_VTYPE_HEADER).u.header = {kReplayHeader, "1", 1};
  rd_kafka_error_t* error = rd_kafka_produceva(rk_.get(), vus.data(), n);
  if (error == nullptr) return ok_status();
  queue_full = rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL;
  return kafka_error(error, "send to " + std::string(rd_kafka_topic_name(topic)) + "[" +
                                std::to_string(partition) + "]");
}

Status KafkaProducer::send(const Message& message, Millis timeout) {
  if (state_.closed) return closed_error();
  ENVMON_TRY(tracking_ ? fatal_failure() : take_failure());
  if (const auto size = static_cast<int64_t>(message.key.size() + message.payload.size());
      size > state_.config.message_max_bytes) {
    return Error(Errc::invalid_argument,
                 "message of " + std::to_string(size) + " bytes refused: over " +
                     "bus.kafka.message_max_bytes (" +
                     std::to_string(state_.config.message_max_bytes) + ")");
  }
  const int32_t partition = partition_for(message.key, state_.partitions_of(message.topic));
  const Timestamp at = message.timestamp != Timestamp{}
                           ? message.timestamp
                           : std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    bool queue_full = false;
    Status s = produce_once(message, partition, at, queue_full);
    if (s.ok()) ++epochs_.back().sent;
    rd_kafka_poll(rk_.get(), 0);  // serve delivery reports: they free queue room
    if (s.ok() || !queue_full) return s;
    if (state_.closed) return closed_error();
    const Millis left = remaining(deadline);
    if (left == Millis(0)) {
      return Error(Errc::bus_full,
                   "producer queue full (" + std::to_string(state_.config.queue_max_messages) +
                       " messages awaiting acknowledgement): brokers are slow or unreachable",
                   Retryable::yes);
    }
    rd_kafka_poll(rk_.get(), static_cast<int>(std::min(left, kSlice).count()));
  }
}

void KafkaProducer::publish_sent() {
  if (!state_.metrics) return;
  const int64_t now = delivery_.delivered.load();
  if (now > published_sent_) state_.metrics->sent(static_cast<double>(now - published_sent_));
  published_sent_ = now;
}

// rd_kafka_flush makes librdkafka 2.0's broker thread busy-poll (poll with a zero timeout) for
// as long as the flush lasts, i.e. until the brokers acknowledge: that cost more CPU than all of
// the processor's own work, and more still when the broker on the same cores answered slowly.
// So a flush first kicks the lingering records out with a 1 ms rd_kafka_flush and waits for the
// delivery reports in rd_kafka_poll, asleep. librdkafka 2.0.2 sometimes leaves records queued
// after such a short flush until its broker thread's 1 s socket wait ends, so after
// kStalledSlices slices without progress it falls back to rd_kafka_flush for the slice.
Status KafkaProducer::flush(Millis timeout) {
  constexpr int kStalledSlices = 2;
  const auto deadline = SteadyClock::now() + timeout;
  int last_left = -1;
  int stalled = 0;
  for (;;) {
    if (const int left = rd_kafka_outq_len(rk_.get()); left > 0) {
      stalled = left == last_left ? stalled + 1 : 0;
      const int slice = static_cast<int>(std::min(remaining(deadline), kSlice).count());
      if (stalled >= kStalledSlices) {
        rd_kafka_flush(rk_.get(), slice);
      } else {
        if (last_left < 0 || stalled > 0) rd_kafka_flush(rk_.get(), 1);
        rd_kafka_poll(rk_.get(), slice);
      }
      last_left = left;
    }
    publish_sent();
    ENVMON_TRY(take_failure());
    const int left = rd_kafka_outq_len(rk_.get());
    if (left == 0) return ok_status();
    if (state_.closed) return closed_error();
    if (remaining(deadline) == Millis(0)) {
      return Error(Errc::net_timeout,
                   std::to_string(left) + " message(s) not yet acknowledged by the brokers",
                   Retryable::yes);
    }
  }
}

// Closes the open epoch; its records are acknowledged when all their reports are served.
uint64_t KafkaProducer::checkpoint() {
  tracking_ = true;
  const uint64_t mark = epochs_.back().id;
  epochs_.emplace_back(mark + 1, delivery_);
  return mark;
}

// Settles the closed epochs whose reports are all served, oldest first, and says whether every
// epoch up to `mark` is settled. Waits asleep in rd_kafka_poll (not rd_kafka_flush, which
// busy-polls in librdkafka 2.0: see flush()); records leave after linger_ms as usual.
Result<bool> KafkaProducer::acknowledged(uint64_t mark, Millis wait) {
  const auto deadline = SteadyClock::now() + wait;
  rd_kafka_poll(rk_.get(), 0);
  for (;;) {
    // Only epochs up to the mark: a later one's failure belongs to a later checkpoint.
    while (epochs_.size() > 1 && epochs_.front().id <= mark &&
           epochs_.front().settled.load() >= epochs_.front().sent) {
      const int64_t failed = epochs_.front().failed.load();
      const uint64_t id = epochs_.front().id;
      epochs_.pop_front();
      if (failed == 0) continue;
      Status why = take_failure();
      return why.ok() ? Error(Errc::io, std::to_string(failed) + " record(s) of checkpoint " +
                                            std::to_string(id) + " were not delivered")
                      : why.error();
    }
    if (epochs_.front().id > mark) {
      publish_sent();
      return true;
    }
    ENVMON_TRY(fatal_failure());
    if (state_.closed) return closed_error();
    const Millis left = remaining(deadline);
    if (left == Millis(0)) return false;
    rd_kafka_poll(rk_.get(), static_cast<int>(std::min(left, kSlice).count()));
  }
}

}  // namespace envmon::bus::kafka
