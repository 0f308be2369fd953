#include "bus/bus.h"

#include <algorithm>
#include <unordered_map>

namespace envmon::bus {

std::string_view topic_name(Topic t) {
  switch (t) {
    case Topic::raw: return "raw";
    case Topic::curated: return "curated";
    case Topic::aggregates: return "aggregates";
    case Topic::anomalies: return "anomalies";
    case Topic::alerts: return "alerts";
    case Topic::dead_letter: return "dead-letter";
  }
  return "?";
}

std::optional<Topic> parse_topic(std::string_view name) {
  for (Topic t : kAllTopics) {
    if (topic_name(t) == name) return t;
  }
  return std::nullopt;
}

int32_t partition_for(std::string_view key, int32_t partitions) {
  uint32_t h = 2166136261u;
  for (char c : key) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return partitions <= 0 ? 0 : static_cast<int32_t>(h % static_cast<uint32_t>(partitions));
}

// A bus that accepts on send has nothing in flight: a flush says whether anything failed.
Result<bool> Producer::acknowledged(uint64_t, Millis wait) {
  Status s = flush(wait);
  if (s.ok()) return true;
  if (s.error().code() == Errc::net_timeout) return false;  // still in flight
  return s.error();
}

OffsetMap offsets_after(const std::vector<Message>& messages) {
  OffsetMap out;
  for (const auto& m : messages) {
    auto& next = out[TopicPartition{m.topic, m.partition}];
    next = std::max(next, m.offset + 1);
  }
  return out;
}

namespace {

bool frameable(const Message& m) {
  return m.schema_version == 1 && !m.replay && m.payload.find('\n') == std::string::npos;
}

}  // namespace

void pack_batches(std::vector<Message>& in, size_t max_bytes, std::vector<Message>& out) {
  // Topic + key -> the framer's slot; a handful of stations per batch, so the map stays small.
  std::unordered_map<std::string, size_t> slots;
  BatchFramer framer(max_bytes);
  std::string id;
  for (Message& m : in) {
    if (!frameable(m)) {
      out.push_back(std::move(m));
      continue;
    }
    id.assign(1, static_cast<char>(m.topic));
    id.append(m.key);
    const size_t slot = slots.try_emplace(id, slots.size()).first->second;
    framer.add(out, slot, m.topic, m.key, m.timestamp,
               [&](std::string& payload) { payload.append(m.payload); });
  }
  in.clear();
}

void unpack_batch(Message&& record, std::vector<Message>& out) {
  if (record.schema_version != kBatchSchemaVersion) {
    out.push_back(std::move(record));
    return;
  }
  const std::string_view all = record.payload;
  for (size_t from = 0;;) {
    const size_t end = std::min(all.find('\n', from), all.size());
    Message& m = out.emplace_back();
    m.topic = record.topic;
    m.key = record.key;
    m.payload.assign(all.substr(from, end - from));
    m.schema_version = 1;
    m.timestamp = record.timestamp;
    m.partition = record.partition;
    m.offset = record.offset;
    m.replay = record.replay;
    if (end == all.size()) break;
    from = end + 1;
  }
}

std::vector<Message> unpack_batches(std::vector<Message> polled) {
  const auto is_batch = [](const Message& m) { return m.schema_version == kBatchSchemaVersion; };
  if (std::none_of(polled.begin(), polled.end(), is_batch)) return polled;
  std::vector<Message> out;
  out.reserve(polled.size() * 2);
  for (Message& m : polled)
    unpack_batch(std::move(m), out);
  return out;
}

}  // namespace envmon::bus
