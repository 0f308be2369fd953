#include "bus/bus.h"

#include <algorithm>

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

OffsetMap offsets_after(const std::vector<Message>& messages) {
  OffsetMap out;
  for (const auto& m : messages) {
    auto& next = out[TopicPartition{m.topic, m.partition}];
    next = std::max(next, m.offset + 1);
  }
  return out;
}

}  // namespace envmon::bus
