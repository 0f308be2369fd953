#include "bus/kafka/kafka_bus_config.h"

#include <gtest/gtest.h>

namespace envmon::bus {
namespace {

TEST(KafkaBusConfigTest, DefaultsFromAnEmptySection) {
  auto node = config::load_text("kafka: {}\n", "test.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_kafka_bus_config(node->child("kafka"));
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->bootstrap_servers, "127.0.0.1:19092");
  EXPECT_EQ(cfg->topic_prefix, "envmon.");
  EXPECT_EQ(cfg->partitions, 2);
  EXPECT_EQ(cfg->compression, KafkaCompression::lz4);
  EXPECT_EQ(cfg->retention_dead_letter_hours, 720);
}

TEST(KafkaBusConfigTest, ReadsKeysAndRejectsBadOnes) {
  auto node = config::load_text("kafka:\n  compression: zstd\n  partitions: 8\n", "test.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_kafka_bus_config(node->child("kafka"));
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->compression, KafkaCompression::zstd);
  EXPECT_EQ(cfg->partitions, 8);
  for (const char* bad : {"kafka:\n  compression: brotli\n", "kafka:\n  partitons: 3\n",
                          "kafka:\n  heartbeat_interval_ms: 20000\n"}) {
    auto n = config::load_text(bad, "test.yaml");
    ASSERT_TRUE(n.ok());
    EXPECT_FALSE(parse_kafka_bus_config(n->child("kafka")).ok()) << bad;
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
