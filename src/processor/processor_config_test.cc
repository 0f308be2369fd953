#include "processor/processor_config.h"

#include <gtest/gtest.h>

namespace envmon::processor {
namespace {

Result<ProcessorConfig> parse(const std::string& yaml) {
  auto node = config::load_text(yaml, "test.yaml");
  EXPECT_TRUE(node.ok());
  return parse_processor_config(node->child("processor"));
}

TEST(ProcessorConfig, DefaultsWhenBlockIsAbsent) {
  auto cfg = parse("version: 1\n");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->runtime.workers, 2);
  EXPECT_EQ(cfg->clean.median_window, 15);
  EXPECT_EQ(cfg->validate.clock_skew, transforms::ClockSkewPolicy::flag);
}

TEST(ProcessorConfig, FlatKeysFillEveryTransform) {
  auto cfg = parse(
      "processor: {workers: 3, median_window: 9, max_gap_secs: 900, clock_skew: reject, "
      "dedupe_window_secs: 7200}\n");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->runtime.workers, 3);
  EXPECT_EQ(cfg->clean.median_window, 9);
  EXPECT_EQ(cfg->clean.max_gap_secs, 900);
  EXPECT_EQ(cfg->validate.clock_skew, transforms::ClockSkewPolicy::reject);
  EXPECT_EQ(cfg->dedupe.dedupe_window_secs, 7200);
}

TEST(ProcessorConfig, UnknownKeyAndBadValueAreErrors) {
  auto cfg = parse("processor: {wrokers: 3}\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("wrokers"), std::string::npos);
  EXPECT_FALSE(parse("processor: {median_window: 1000}\n").ok());
  EXPECT_FALSE(parse("processor: {clock_skew: maybe}\n").ok());
}

TEST(ProcessorConfig, RebuildWindowAndMessageLimitAreBounded) {
  auto ok = parse("processor: {rebuild_window_secs: 0, max_message_bytes: 1048576}\n");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->runtime.rebuild_window_secs, 0);
  EXPECT_EQ(ok->runtime.max_message_bytes, 1048576);
  for (const char* bad :
       {"processor: {rebuild_window_secs: -1}\n", "processor: {rebuild_window_secs: a day}\n",
        "processor: {max_message_bytes: 10}\n"}) {
    auto cfg = parse(bad);
    ASSERT_FALSE(cfg.ok()) << bad;
    EXPECT_TRUE(cfg.error().message().find("rebuild_window_secs") != std::string::npos ||
                cfg.error().message().find("max_message_bytes") != std::string::npos)
        << cfg.error().message();
  }
}

TEST(ProcessorConfig, OutputFramingAndBatchSizeAreCheckedWithTheKeyNamed) {
  auto ok = parse("processor: {output_framing: message, output_batch_max_bytes: 1024}\n");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->runtime.output_framing, OutputFraming::message);
  EXPECT_EQ(ok->runtime.output_batch_max_bytes, 1024);
  EXPECT_EQ(parse("version: 1\n")->runtime.output_framing, OutputFraming::batch);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"processor: {output_framing: jsonl}\n", "output_framing"},
      {"processor: {output_framing: 2}\n", "output_framing"},
      {"processor: {output_batch_max_bytes: 1023}\n", "output_batch_max_bytes"},
      {"processor: {output_batch_max_bytes: 104857601}\n", "output_batch_max_bytes"},
      {"processor: {output_batch_max_bytes: -1}\n", "output_batch_max_bytes"},
      {"processor: {output_batch_max_bytes: 1 MB}\n", "output_batch_max_bytes"}};
  for (const auto& [yaml, key] : bad) {
    auto cfg = parse(yaml);
    ASSERT_FALSE(cfg.ok()) << yaml;
    EXPECT_NE(cfg.error().message().find(key), std::string::npos) << cfg.error().message();
  }
}

TEST(ProcessorConfig, OutputDeliveryIsIdempotentUnlessOrderedIsAskedFor) {
  EXPECT_EQ(parse("version: 1\n")->runtime.output_delivery, OutputDelivery::idempotent);
  auto ordered = parse("processor: {output_delivery: ordered}\n");
  ASSERT_TRUE(ordered.ok()) << ordered.error().to_string();
  EXPECT_EQ(ordered->runtime.output_delivery, OutputDelivery::ordered);
  auto bad = parse("processor: {output_delivery: exactly_once}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("output_delivery"), std::string::npos)
      << bad.error().message();
}

TEST(ProcessorConfig, OutputLingerIsShortAndBounded) {
  EXPECT_EQ(parse("version: 1\n")->runtime.output_linger_ms, 1);
  EXPECT_EQ(parse("processor: {output_linger_ms: 20}\n")->runtime.output_linger_ms, 20);
  EXPECT_EQ(parse("version: 1\n")->runtime.commit_interval_ms, 50);
  for (const char* bad : {"processor: {commit_interval_ms: -1}\n",
                          "processor: {commit_interval_ms: soon}\n"}) {
    auto e = parse(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_NE(e.error().message().find("commit_interval_ms"), std::string::npos)
        << e.error().message();
  }
  auto bad = parse("processor: {output_linger_ms: 5000}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("output_linger_ms"), std::string::npos)
      << bad.error().message();
}

TEST(ProcessorConfig, SchemaDocsListEveryKey) {
  size_t keys = 0;
  for (const auto& doc : processor_schema_docs())
    keys += doc.fields.size();
  EXPECT_GE(keys, 12u);
}

// A batch record larger than the bus's message limit would fail at every send: refused at
// config load, naming both keys and where they are set.
TEST(ProcessorConfig, BatchLargerThanTheBusMessageLimitNamesBothKeys) {
  auto node = config::load_text(
      "bus:\n  type: kafka\n  kafka:\n    message_max_bytes: 500000\n"
      "processor:\n  output_batch_max_bytes: 600000\n",
      "big.yaml");
  ASSERT_TRUE(node.ok());
  const auto processor = node->child("processor");
  const auto limit = node->child("bus").child("kafka").child("message_max_bytes");
  auto cfg = parse_processor_config(processor);
  ASSERT_TRUE(cfg.ok());
  Status s = check_batch_fits_bus(*cfg, processor, 500000, limit);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Errc::config_bad_value);
  const std::string& m = s.error().message();
  EXPECT_NE(m.find("big.yaml:6: processor.output_batch_max_bytes: 600000 bytes does not fit "
                   "bus.kafka.message_max_bytes = 500000 (big.yaml:4)"),
            std::string::npos)
      << m;
  // Fits with the room for key and headers; message framing sends no batch records.
  cfg->runtime.output_batch_max_bytes = 500000 - kBatchRecordOverheadBytes;
  EXPECT_TRUE(check_batch_fits_bus(*cfg, processor, 500000, limit).ok());
  cfg->runtime.output_batch_max_bytes = 600000;
  cfg->runtime.output_framing = OutputFraming::message;
  EXPECT_TRUE(check_batch_fits_bus(*cfg, processor, 500000, limit).ok());
}

}  // namespace
}  // namespace envmon::processor
