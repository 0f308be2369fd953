#pragma once

#include <algorithm>

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::bus {

enum class KafkaCompression { none, gzip, snappy, lz4, zstd };
std::string_view compression_name(KafkaCompression c);  // librdkafka's spelling

// `bus: {type: kafka, kafka: {...}}`: a Kafka cluster through librdkafka.
struct KafkaBusConfig {
  std::string bootstrap_servers = "127.0.0.1:19092";
  std::string topic_prefix = "envmon.";
  std::string client_id = "envmon";
  // Topic creation (only for topics that do not exist yet; existing topics are left alone).
  int64_t partitions = 2;
  int64_t replication_factor = 1;
  int64_t retention_hours = 168;
  int64_t retention_dead_letter_hours = 720;
  // Producer.
  KafkaCompression compression = KafkaCompression::lz4;
  int64_t linger_ms = 5;
  int64_t batch_size_bytes = 4 << 20;
  int64_t message_max_bytes = 1 << 20;
  // librdkafka's message.max.bytes caps single messages and requests alike: requests may be as
  // large as a batch, so the single-message limit is checked by the producer itself.
  int64_t request_max_bytes() const {
    return std::max(message_max_bytes, batch_size_bytes) + kRequestOverheadBytes;
  }
  static constexpr int64_t kRequestOverheadBytes = 64 << 10;  // record and request framing
  int64_t queue_max_messages = 100000;
  int64_t delivery_timeout_ms = 300000;
  // Consumer groups.
  int64_t session_timeout_ms = 10000;
  int64_t heartbeat_interval_ms = 1000;
  int64_t max_poll_interval_ms = 300000;
  int64_t prefetch_messages = 1000000;
  // Start-up and admin calls (topic creation, metadata, committed offsets).
  int64_t admin_timeout_ms = 15000;

  friend bool operator==(const KafkaBusConfig&, const KafkaBusConfig&) = default;
};

const config::Schema<KafkaBusConfig>& kafka_bus_schema();
Result<KafkaBusConfig> parse_kafka_bus_config(const config::Node& node);

// Sections of `envmon config schema` owned by the Kafka backend.
std::vector<config::SchemaDoc> kafka_bus_schema_docs();

}  // namespace envmon::bus
