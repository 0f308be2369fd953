#include "bus/kafka/kafka_bus_config.h"

#include <gtest/gtest.h>

namespace envmon::bus {
namespace {

Result<KafkaBusConfig> parse(const std::string& yaml) {
  auto node = config::load_text(yaml, "test.yaml");
  EXPECT_TRUE(node.ok()) << yaml;
  if (!node.ok()) return node.error();
  return parse_kafka_bus_config(node->child("kafka"));
}

TEST(KafkaBusConfigTest, DefaultsFromAnEmptySectionMatchTheStruct) {
  // The struct's initialisers (used when a config is built in code) and the schema's defaults
  // (used from YAML) are written twice; this keeps them equal.
  for (const char* yaml : {"kafka: {}\n", "kafka:\n", "other: 1\n"}) {
    auto cfg = parse(yaml);
    ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
    EXPECT_EQ(*cfg, KafkaBusConfig{}) << yaml;
  }
  EXPECT_EQ(parse("kafka: {}\n")->compression, KafkaCompression::lz4);
}

TEST(KafkaBusConfigTest, ReadsKeys) {
  auto cfg = parse("kafka:\n  compression: zstd\n  partitions: 8\n  bootstrap_servers: a:1,b:2\n");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->compression, KafkaCompression::zstd);
  EXPECT_EQ(cfg->partitions, 8);
  EXPECT_EQ(cfg->bootstrap_servers, "a:1,b:2");
  EXPECT_EQ(parse("kafka: {prefetch_messages: 5000}\n")->prefetch_messages, 5000);
  EXPECT_FALSE(parse("kafka: {prefetch_messages: 0}\n").ok());
}

// A request carries a whole batch, so librdkafka's message.max.bytes (which caps both) follows
// the larger of the two; single messages are held to message_max_bytes by the producer.
TEST(KafkaBusConfigTest, RequestsMayBeAsLargeAsABatchWhateverTheMessageLimit) {
  auto cfg = parse("kafka:\n  batch_size_bytes: 5000000\n  message_max_bytes: 100000\n");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->batch_size_bytes, 5000000);
  EXPECT_EQ(cfg->request_max_bytes(), 5000000 + KafkaBusConfig::kRequestOverheadBytes);
  EXPECT_EQ(parse("kafka: {}\n")->batch_size_bytes, 4 << 20);
}

struct BadCase {
  const char* yaml;
  Errc code;
  std::vector<std::string> says;  // every one must appear in the message
};

TEST(KafkaBusConfigTest, RefusesBadValuesNamingFileLineAndKey) {
  const BadCase cases[] = {
      {"kafka:\n  compression: brotli\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.compression", "brotli", "none, gzip, snappy, lz4, zstd"}},
      {"kafka:\n  partitions: 2\n  partitons: 3\n",
       Errc::config_unknown_key,
       {"test.yaml:3", "kafka.partitons", "unknown key", "partitions"}},
      {"kafka:\n  partitions: 0\n", Errc::config_bad_value, {"test.yaml:2", "kafka.partitions"}},
      {"kafka:\n  partitions: 5000\n", Errc::config_bad_value, {"test.yaml:2", "kafka.partitions"}},
      {"kafka:\n  partitions: many\n", Errc::config_bad_value, {"test.yaml:2", "many"}},
      {"kafka:\n  linger_ms: -1\n", Errc::config_bad_value, {"test.yaml:2", "kafka.linger_ms"}},
      {"kafka:\n  replication_factor: 2.5\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.replication_factor"}},
      {"kafka:\n  message_max_bytes: 10\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.message_max_bytes"}},
      {"kafka:\n  delivery_timeout_ms: 9999999999\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.delivery_timeout_ms"}},
      {"kafka:\n  bootstrap_servers: [a, b]\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.bootstrap_servers"}},
      {"kafka: 7\n", Errc::config_bad_value, {"test.yaml:1", "expected a mapping"}},
      {"kafka:\n  prefetch_messages: 0\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.prefetch_messages"}},
      {"kafka:\n  prefetch_messages: lots\n", Errc::config_bad_value, {"test.yaml:2", "lots"}},
      {"kafka:\n  batch_size_bytes: 1000000000\n",
       Errc::config_bad_value,
       {"test.yaml:2", "kafka.batch_size_bytes"}},
      {"kafka:\n  heartbeat_interval_ms: 20000\n",
       Errc::config_bad_value,
       {"kafka.heartbeat_interval_ms", "must be below session_timeout_ms"}},
      {"kafka:\n  linger_ms: 5000\n  delivery_timeout_ms: 2000\n",
       Errc::config_bad_value,
       {"test.yaml:3", "kafka.delivery_timeout_ms", "must exceed linger_ms"}},
  };
  for (const BadCase& c : cases) {
    auto cfg = parse(c.yaml);
    ASSERT_FALSE(cfg.ok()) << c.yaml;
    const std::string message = cfg.error().message();
    EXPECT_EQ(cfg.error().code(), c.code) << c.yaml << message;
    for (const auto& part : c.says)
      EXPECT_NE(message.find(part), std::string::npos) << c.yaml << "-> " << message;
  }
}

TEST(KafkaBusConfigTest, DocumentsTheSection) {
  auto docs = kafka_bus_schema_docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs.front().section, "bus.kafka");
  EXPECT_GE(docs.front().fields.size(), 14u);
}

}  // namespace
}  // namespace envmon::bus
