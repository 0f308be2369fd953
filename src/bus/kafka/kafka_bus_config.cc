#include "bus/kafka/kafka_bus_config.h"

namespace envmon::bus {

std::string_view compression_name(KafkaCompression c) {
  switch (c) {
    case KafkaCompression::none:
      return "none";
    case KafkaCompression::gzip:
      return "gzip";
    case KafkaCompression::snappy:
      return "snappy";
    case KafkaCompression::lz4:
      return "lz4";
    case KafkaCompression::zstd:
      return "zstd";
  }
  return "none";
}

namespace {

using C = KafkaBusConfig;
constexpr double kMaxInt = 2147483647.0;

void add_connection(config::Schema<C>& s) {
  s.string("bootstrap_servers", &C::bootstrap_servers, "127.0.0.1:19092",
           "Comma-separated host:port list of brokers to bootstrap from")
      .string("topic_prefix", &C::topic_prefix, "envmon.",
              "Prefix of every topic and consumer group name (envmon.raw, envmon.processor)")
      .string("client_id", &C::client_id, "envmon",
              "client.id sent to the brokers (their logs, quotas)")
      .integer("admin_timeout_ms", &C::admin_timeout_ms, 15000, "ms", 100, 600000,
               "Time limit of start-up metadata and topic creation, and of offset queries");
}

void add_topics(config::Schema<C>& s) {
  s.integer("partitions", &C::partitions, 2, "", 1, 1024,
            "Partitions of a topic envmon creates; a station's messages always land in one")
      .integer("replication_factor", &C::replication_factor, 1, "", 1, 16,
               "Replicas of a topic envmon creates (3 on a production cluster)")
      .integer("retention_hours", &C::retention_hours, 168, "h", 1, 876000,
               "retention.ms of the pipeline topics envmon creates")
      .integer("retention_dead_letter_hours", &C::retention_dead_letter_hours, 720, "h", 1, 876000,
               "retention.ms of the dead-letter topic envmon creates (kept longer for inspection)");
}

void add_producer(config::Schema<C>& s) {
  s.enumeration("compression", &C::compression, KafkaCompression::lz4,
                {{"none", KafkaCompression::none},
                 {"gzip", KafkaCompression::gzip},
                 {"snappy", KafkaCompression::snappy},
                 {"lz4", KafkaCompression::lz4},
                 {"zstd", KafkaCompression::zstd}},
                "Batch compression of the producer")
      .integer("linger_ms", &C::linger_ms, 5, "ms", 0, 900000,
               "How long the producer waits to fill a batch (latency against throughput)")
      .integer("batch_size_bytes", &C::batch_size_bytes, 4 << 20, "bytes", 1, 256 << 20,
               "Largest batch of records the producer sends to one partition in one request, "
               "before compression; topics envmon creates accept batches this large "
               "(max.message.bytes). Fewer, larger requests cost the broker less per record")
      .integer("message_max_bytes", &C::message_max_bytes, 1 << 20, "bytes", 1000, 1000000000,
               "Largest message the producer accepts; larger ones fail at send")
      .integer("queue_max_messages", &C::queue_max_messages, 100000, "messages", 1, 10000000,
               "Messages awaiting broker acknowledgement before send blocks (back-pressure)")
      .integer("delivery_timeout_ms", &C::delivery_timeout_ms, 300000, "ms", 1000, kMaxInt,
               "How long the producer retries a message before it fails (reported at the next "
               "send/flush); must exceed linger_ms");
}

void add_consumer(config::Schema<C>& s) {
  s.integer("session_timeout_ms", &C::session_timeout_ms, 10000, "ms", 1000, 3600000,
            "A group member silent this long is presumed dead; its partitions are reassigned")
      .integer("heartbeat_interval_ms", &C::heartbeat_interval_ms, 1000, "ms", 100, 3600000,
               "Heartbeat period of a group member (how fast it notices a rebalance)")
      .integer("max_poll_interval_ms", &C::max_poll_interval_ms, 300000, "ms", 1000, 86400000,
               "A member that does not poll this long leaves the group (stuck processing)")
      .integer("prefetch_messages", &C::prefetch_messages, 1000000, "messages", 1, 10000000,
               "Messages per partition the consumer fetches ahead (librdkafka "
               "queued.min.messages; bytes stay bounded by its 64 MB queued.max.messages.kbytes). "
               "A partition whose queue reaches it is fetched again only at the client's next "
               "wake-up (up to 1 s later): librdkafka's 100,000 ran dry first at 150k messages/s");
}

}  // namespace

const config::Schema<KafkaBusConfig>& kafka_bus_schema() {
  static const config::Schema<KafkaBusConfig> schema = [] {
    config::Schema<KafkaBusConfig> s("bus.kafka");
    add_connection(s);
    add_topics(s);
    add_producer(s);
    add_consumer(s);
    return s;
  }();
  return schema;
}

Result<KafkaBusConfig> parse_kafka_bus_config(const config::Node& node) {
  KafkaBusConfig cfg;
  ENVMON_TRY(config::fill(node, kafka_bus_schema(), cfg));
  if (cfg.heartbeat_interval_ms >= cfg.session_timeout_ms) {
    return node.child("heartbeat_interval_ms")
        .error(Errc::config_bad_value, "must be below session_timeout_ms");
  }
  if (cfg.delivery_timeout_ms <= cfg.linger_ms) {
    return node.child("delivery_timeout_ms").error(Errc::config_bad_value, "must exceed linger_ms");
  }
  return cfg;
}

std::vector<config::SchemaDoc> kafka_bus_schema_docs() {
  return {
      config::SchemaDoc{"bus.kafka",
                        "Kafka bus through librdkafka: idempotent producer (acks=all), consumer "
                        "groups with manual commits (at-least-once)",
                        kafka_bus_schema().specs()}};
}

}  // namespace envmon::bus
