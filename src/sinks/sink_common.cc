#include "sinks/sink_common.h"

#include <algorithm>

namespace envmon::sinks {

int64_t committed_total(const bus::Bus& bus, const std::string& group, bus::Topic topic) {
  int64_t total = 0;
  for (int32_t p = 0; p < bus.partitions(topic); ++p) {
    total += std::max<int64_t>(0, bus.committed(group, {topic, p}));
  }
  return total;
}

DrainTarget::DrainTarget(const bus::Bus& bus, const std::vector<bus::Topic>& topics) {
  for (bus::Topic t : topics)
    produced_[t] = bus.stats(t).produced;
}

int64_t DrainTarget::remaining(const bus::Bus& bus, const std::string& group) const {
  int64_t left = 0;
  for (const auto& [topic, produced] : produced_) {
    left += std::max<int64_t>(0, produced - committed_total(bus, group, topic));
  }
  return left;
}

void merge_offsets(bus::OffsetMap& into, const bus::OffsetMap& more) {
  for (const auto& [tp, next] : more) {
    int64_t& cur = into[tp];
    cur = std::max(cur, next);
  }
}

}  // namespace envmon::sinks
