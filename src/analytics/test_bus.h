#pragma once
// Waiting for consumer groups in the analytics tests (polls the bus; never a timing assertion).

#include <algorithm>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "bus/bus.h"

namespace envmon::analytics::testing {

// Waits until `group` committed `expected` messages of `topic` over all partitions.
inline void wait_committed(bus::Bus& bus, const std::string& group, bus::Topic topic,
                           int64_t expected) {
  for (int i = 0; i < 3000; ++i) {
    int64_t done = 0;
    for (int32_t p = 0; p < bus.partitions(topic); ++p)
      done += std::max<int64_t>(0, bus.committed(group, {topic, p}));
    if (done >= expected) return;
    std::this_thread::sleep_for(Millis(10));
  }
  FAIL() << group << " did not commit " << expected << " messages";
}

}  // namespace envmon::analytics::testing
