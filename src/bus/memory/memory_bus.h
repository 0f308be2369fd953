#pragma once

#include <memory>

#include "bus/bus.h"
#include "bus/memory/memory_bus_config.h"

namespace envmon::bus {

// In-process bus: bounded partitions with back-pressure, consumer groups with committed offsets.
// A message is retained until every consumer group subscribed to its topic has committed past
// it, so a member that fails before committing re-reads it (at-least-once, like Kafka).
std::unique_ptr<Bus> make_memory_bus(const MemoryBusConfig& config);

}  // namespace envmon::bus
