#pragma once

#include <cstdint>

#include "config/schema.h"

namespace envmon::bus {

struct MemoryBusConfig {
  int64_t partitions = 4;
  int64_t queue_capacity = 65536;
};

inline const config::Schema<MemoryBusConfig>& memory_bus_schema() {
  static const config::Schema<MemoryBusConfig> schema = [] {
    config::Schema<MemoryBusConfig> s("bus.memory");
    s.integer("partitions", &MemoryBusConfig::partitions, 4, "", 1, 256,
              "Partitions per topic; a station's messages always land in the same one")
        .integer("queue_capacity", &MemoryBusConfig::queue_capacity, 65536, "messages", 16, 10'000'000,
                 "Messages a partition holds before producers block (back-pressure, never drops)");
    return s;
  }();
  return schema;
}

}  // namespace envmon::bus
