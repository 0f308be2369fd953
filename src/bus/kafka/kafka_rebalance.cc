// Partition movement in a consumer group: cooperative assignment, and the state rebuild that
// lets a partition's per-station state follow it to its next owner.
//
// Why a rebuild and not a state store: the processor's state for a partition (cleaning
// windows, open hourly aggregates, watermarks) is a pure function of the partition's recent
// messages, and Kafka keeps them. So the next owner re-reads the window before the committed
// offset, flagged as replay (learned from, not re-emitted), then continues. This is what
// Kafka Streams does with a changelog, with the raw topic itself as the changelog.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "bus/kafka/kafka_clients.h"

namespace envmon::bus::kafka {
namespace {

constexpr std::string_view kCommitTimePrefix = "envmon-t=";

}  // namespace

std::string describe(const rd_kafka_topic_partition_list_t* parts) {
  std::string out;
  for (int i = 0; i < parts->cnt; ++i) {
    if (!out.empty()) out += ",";
    out +=
        std::string(parts->elems[i].topic) + "[" + std::to_string(parts->elems[i].partition) + "]";
  }
  return out;
}

void set_commit_time(rd_kafka_topic_partition_t& elem, int64_t append_ms) {
  const std::string text = std::string(kCommitTimePrefix) + std::to_string(append_ms);
  // librdkafka frees partition metadata with free() when the list is destroyed, so it must
  // come from malloc(); this is the one place envmon hands memory to a C library.
  void* buffer = std::malloc(text.size());  // NOLINT(cppcoreguidelines-no-malloc)
  if (buffer == nullptr) return;            // the commit still happens, without the hint
  std::memcpy(buffer, text.data(), text.size());
  std::free(elem.metadata);  // NOLINT(cppcoreguidelines-no-malloc)
  elem.metadata = buffer;
  elem.metadata_size = text.size();
}

std::optional<int64_t> commit_time(const rd_kafka_topic_partition_t& elem) {
  if (elem.metadata == nullptr) return std::nullopt;
  const std::string_view text(static_cast<const char*>(elem.metadata), elem.metadata_size);
  if (text.substr(0, kCommitTimePrefix.size()) != kCommitTimePrefix) return std::nullopt;
  const std::string_view digits = text.substr(kCommitTimePrefix.size());
  int64_t ms = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return ms;
}

void rebalance_callback(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* parts, void* opaque) {
  auto* state = static_cast<BusState*>(opaque);
  KafkaConsumer* consumer = nullptr;
  {
    std::lock_guard lock(state->consumers_mutex);
    if (auto it = state->consumers.find(rk); it != state->consumers.end()) consumer = it->second;
  }
  if (consumer != nullptr) {
    consumer->on_rebalance(err, parts);
    return;
  }
  // Not registered (being destroyed): just let the change happen.
  const bool assign = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
  if (std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0) {
    rd_kafka_error_t* e =
        assign ? rd_kafka_incremental_assign(rk, parts) : rd_kafka_incremental_unassign(rk, parts);
    if (e != nullptr) rd_kafka_error_destroy(e);
  } else {
    rd_kafka_assign(rk, assign ? parts : nullptr);
  }
}

// Both protocols are handled so a group can be migrated; envmon asks for cooperative-sticky,
// where a rebalance moves only the partitions that change owner (no stop-the-world revoke).
void KafkaConsumer::on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  rd_kafka_t* rk = rk_.get();
  const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  const bool assign = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
  if (assign) {
    assigned_once_ = true;
    plan_rebuild(parts);
  } else {
    forget(parts);
  }
  if (parts->cnt > 0) {
    state_.log.info(assign ? "partitions assigned" : "partitions revoked",
                    {{"client", rd_kafka_name(rk)},
                     {"group", group_},
                     {"partitions", describe(parts)},
                     {"lost", rd_kafka_assignment_lost(rk) != 0 ? "true" : "false"}});
  }
  if (cooperative) {
    rd_kafka_error_t* error =
        assign ? rd_kafka_incremental_assign(rk, parts) : rd_kafka_incremental_unassign(rk, parts);
    if (error != nullptr) {
      state_.log.error("rebalance failed",
                       {{"group", group_}, {"error", rd_kafka_error_string(error)}});
      rd_kafka_error_destroy(error);
    }
  } else if (auto e = rd_kafka_assign(rk, assign ? parts : nullptr)) {
    state_.log.error("rebalance failed", {{"group", group_}, {"error", rd_kafka_err2str(e)}});
  }
}

// For each assigned partition the group has committed on: the first offset appended at or
// after (commit time - rebuild window). Reading starts there; below the committed offset the
// messages are flagged replay. Any lookup failure falls back to the committed offset: state
// then starts empty, which costs accuracy of the first open hour, never correctness of commits.
void KafkaConsumer::plan_rebuild(rd_kafka_topic_partition_list_t* parts) {
  if (options_.rebuild_window <= Millis(0) || parts->cnt == 0) return;
  const int timeout_ms = static_cast<int>(state_.config.admin_timeout_ms);
  PartitionListPtr committed(rd_kafka_topic_partition_list_copy(parts));
  if (auto e = rd_kafka_committed(rk_.get(), committed.get(), timeout_ms)) {
    state_.log.warn("state rebuild skipped: committed offsets unavailable",
                    {{"group", group_}, {"error", rd_kafka_err2str(e)}});
    return;
  }
  PartitionListPtr times(rd_kafka_topic_partition_list_new(committed->cnt));
  for (int i = 0; i < committed->cnt; ++i) {
    const auto& c = committed->elems[i];
    const auto t = commit_time(c);
    if (c.err != RD_KAFKA_RESP_ERR_NO_ERROR || c.offset < 0 || !t) continue;
    rd_kafka_topic_partition_list_add(times.get(), c.topic, c.partition)->offset =
        *t - options_.rebuild_window.count();
  }
  if (times->cnt == 0) return;
  if (auto e = rd_kafka_offsets_for_times(rk_.get(), times.get(), timeout_ms)) {
    state_.log.warn("state rebuild skipped: offsets by time unavailable",
                    {{"group", group_}, {"error", rd_kafka_err2str(e)}});
    return;
  }
  for (int i = 0; i < times->cnt; ++i) {
    const auto& t = times->elems[i];
    const auto* c = rd_kafka_topic_partition_list_find(committed.get(), t.topic, t.partition);
    auto* target = rd_kafka_topic_partition_list_find(parts, t.topic, t.partition);
    const auto topic = topic_from_name(state_, t.topic);
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR || t.offset < 0 || c == nullptr || target == nullptr ||
        !topic || t.offset >= c->offset) {
      continue;
    }
    target->offset = t.offset;
    // When the window reaches back to the start of the log, the member simply reprocesses the
    // partition from its start: its state is then complete, and the outputs it emits again are
    // byte-identical to the first ones, which the idempotent sinks absorb.
    if (!starts_log(t.topic, t.partition, t.offset))
      replay_until_[{*topic, t.partition}] = c->offset;
    state_.log.info("rebuilding partition state",
                    {{"group", group_},
                     {"partition", std::string(t.topic) + "[" + std::to_string(t.partition) + "]"},
                     {"from_offset", std::to_string(t.offset)},
                     {"committed", std::to_string(c->offset)},
                     {"messages", std::to_string(c->offset - t.offset)}});
  }
}

bool KafkaConsumer::starts_log(const char* topic, int32_t partition, int64_t offset) {
  int64_t low = 0;
  int64_t high = 0;
  const auto err = rd_kafka_query_watermark_offsets(
      rk_.get(), topic, partition, &low, &high, static_cast<int>(state_.config.admin_timeout_ms));
  return err == RD_KAFKA_RESP_ERR_NO_ERROR && offset <= low;
}

void KafkaConsumer::forget(const rd_kafka_topic_partition_list_t* parts) {
  std::vector<TopicPartition> gone;
  for (int i = 0; i < parts->cnt; ++i) {
    if (auto t = topic_from_name(state_, parts->elems[i].topic))
      gone.push_back({*t, parts->elems[i].partition});
  }
  for (const auto& tp : gone) {
    replay_until_.erase(tp);
    last_append_ms_.erase(tp);
  }
  last_append_ = nullptr;  // its entry may be gone
  revoked_in_poll_.insert(revoked_in_poll_.end(), gone.begin(), gone.end());
  std::lock_guard lock(revoked_mutex_);
  revoked_.insert(revoked_.end(), gone.begin(), gone.end());
}

// Messages fetched from a partition before it was revoked belong to its next owner, which
// reads them again from the committed offset.
void KafkaConsumer::drop_revoked(std::vector<Message>& batch) {
  const size_t dropped = std::erase_if(batch, [&](const Message& m) {
    return std::find(revoked_in_poll_.begin(), revoked_in_poll_.end(),
                     TopicPartition{m.topic, m.partition}) != revoked_in_poll_.end();
  });
  revoked_in_poll_.clear();
  if (dropped > 0 && state_.metrics) {
    state_.metrics->discarded("partition_revoked", static_cast<double>(dropped));
  }
}

std::vector<TopicPartition> KafkaConsumer::take_revoked() {
  std::lock_guard lock(revoked_mutex_);
  return std::exchange(revoked_, {});
}

}  // namespace envmon::bus::kafka
