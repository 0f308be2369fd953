// Replay's view of a topic: one partition, by time, outside any consumer group (nothing is
// committed, no live member loses a partition).
#include <chrono>

#include <unistd.h>

#include "bus/kafka/kafka_clients.h"

namespace envmon::bus::kafka {
namespace {

constexpr Millis kFetchWait{200};
// A partition that stops answering during replay is an error, not a hang.
constexpr auto kStallLimit = std::chrono::seconds(30);

}  // namespace

Result<std::unique_ptr<KafkaHistoryReader>> KafkaHistoryReader::create(BusState& state, Topic topic,
                                                                       int32_t partition,
                                                                       Timestamp from) {
  // librdkafka needs a group id to poll as a consumer; assign() never joins it.
  auto conf = make_conf(
      state, {{"group.id", state.config.topic_prefix + "replay-" + std::to_string(::getpid())},
              {"enable.auto.commit", "false"},
              {"enable.auto.offset.store", "false"}});
  if (!conf.ok()) return conf.error();
  auto rk = make_handle(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk.ok()) return rk.error();
  rd_kafka_poll_set_consumer(rk->get());
  const std::string name = state.topic_of(topic);
  const std::string where = name + "[" + std::to_string(partition) + "]";
  const int timeout_ms = static_cast<int>(state.config.admin_timeout_ms);
  int64_t low = 0;
  int64_t high = 0;
  if (auto err = rd_kafka_query_watermark_offsets(rk->get(), name.c_str(), partition, &low, &high,
                                                  timeout_ms)) {
    return kafka_error(err, "watermarks of " + where);
  }
  PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), name.c_str(), partition)->offset = to_unix_ms(from);
  if (auto err = rd_kafka_offsets_for_times(rk->get(), list.get(), timeout_ms)) {
    return kafka_error(err, "offset by time in " + where);
  }
  // -1: every message is older than `from`.
  const int64_t start = list->elems[0].offset < 0 ? high : std::max(low, list->elems[0].offset);
  if (start < high) {
    list->elems[0].offset = start;
    if (auto err = rd_kafka_assign(rk->get(), list.get()))
      return kafka_error(err, "assign " + where);
  }
  state.log.info("replay reader", {{"partition", where},
                                   {"from_offset", std::to_string(start)},
                                   {"end_offset", std::to_string(high)}});
  return std::make_unique<KafkaHistoryReader>(state, std::move(*rk), start, high);
}

KafkaHistoryReader::~KafkaHistoryReader() {
  rd_kafka_assign(rk_.get(), nullptr);
  rd_kafka_consumer_close(rk_.get());
}

Result<std::vector<Message>> KafkaHistoryReader::read(size_t max) {
  std::vector<Message> out;
  auto last_progress = std::chrono::steady_clock::now();
  while (next_ < end_ && out.size() < max) {
    if (state_.closed) return closed_error();
    MessagePtr record(
        rd_kafka_consumer_poll(rk_.get(), out.empty() ? static_cast<int>(kFetchWait.count()) : 0));
    if (!record) {
      if (!out.empty()) break;
      if (std::chrono::steady_clock::now() - last_progress > kStallLimit) {
        return Error(Errc::net_timeout,
                     "replay read stalled at offset " + std::to_string(next_) + " (end " +
                         std::to_string(end_) + ")",
                     Retryable::yes);
      }
      continue;
    }
    if (record->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;
    if (record->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      state_.log.warn("replay reader event", {{"error", rd_kafka_message_errstr(record.get())}});
      continue;
    }
    last_progress = std::chrono::steady_clock::now();
    next_ = record->offset + 1;
    unpack_batch(decode_record(state_, *record), out);
  }
  return out;
}

}  // namespace envmon::bus::kafka
