#pragma once

#include <memory>

#include "bus/bus.h"
#include "bus/kafka/kafka_bus_config.h"
#include "config/node.h"
#include "core/metrics.h"
#include "core/result.h"

namespace envmon::bus {

// The bus on a Kafka cluster (librdkafka). Connects, creates the missing topics
// (topic_prefix + topic_name(t)) and reads their partition counts before returning, so an
// unreachable cluster is a start-up error. See src/bus/kafka/README.md for the guarantees.
// With `registry`, the bus emits the common component metrics (kind bus, type kafka).
Result<std::unique_ptr<Bus>> make_kafka_bus(const KafkaBusConfig& config,
                                            MetricsRegistry* registry = nullptr);
// `settings` is the `bus.kafka` mapping (config::fill with kafka_bus_schema()).
Result<std::unique_ptr<Bus>> make_kafka_bus(const config::Node& settings,
                                            MetricsRegistry* registry = nullptr);

}  // namespace envmon::bus
