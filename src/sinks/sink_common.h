#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "sinks/sink_config.h"

namespace envmon::sinks {

// What a consumer group still has to commit on `topics`, measured against a snapshot of what had
// been produced when stop() was called (producers may keep going; the sink drains the snapshot).
class DrainTarget {
 public:
  DrainTarget() = default;
  DrainTarget(const bus::Bus& bus, const std::vector<bus::Topic>& topics);
  // Messages of the snapshot not yet committed by `group`.
  int64_t remaining(const bus::Bus& bus, const std::string& group) const;

 private:
  std::map<bus::Topic, int64_t> produced_;
};

// Committed total of a group on a topic (never-committed partitions count as 0).
int64_t committed_total(const bus::Bus& bus, const std::string& group, bus::Topic topic);

// Exponential backoff between retries of one operation.
class Backoff {
 public:
  explicit Backoff(const SinkConfig& c)
      : initial_(c.retry_initial_ms), max_(c.retry_max_ms), next_(c.retry_initial_ms) {}
  Millis next() {
    const Millis d(next_);
    next_ = std::min(next_ * 2, max_);
    return d;
  }
  void reset() { next_ = initial_; }

 private:
  int64_t initial_, max_, next_;
};

// Merges `more` into `into`, keeping the highest next-offset per partition.
void merge_offsets(bus::OffsetMap& into, const bus::OffsetMap& more);

}  // namespace envmon::sinks
