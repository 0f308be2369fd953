#include "processor/stream_processor.h"

#include <gtest/gtest.h>

#include "bus/memory/memory_bus.h"
#include "core/clock.h"
#include "processor/test_support.h"

namespace envmon::processor {
namespace {

using testing::raw_reading;

class StreamProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bus_ = bus::make_memory_bus(bus::MemoryBusConfig{4, 100000});
    auto p = bus_->producer();
    ASSERT_TRUE(p.ok());
    producer_ = std::move(*p);
  }
  void produce(bus::Message m) {
    m.topic = bus::Topic::raw;
    ASSERT_TRUE(producer_->send(std::move(m), Millis(1000)).ok());
    ++produced_;
  }
  // Everything on `topic`, read by a fresh consumer group.
  std::vector<bus::Message> drain(bus::Topic topic) { return testing::read_all(*bus_, topic); }
  int64_t committed_total() {
    int64_t n = 0;
    for (int32_t p = 0; p < bus_->partitions(bus::Topic::raw); ++p) {
      n += std::max<int64_t>(0, bus_->committed("processor", {bus::Topic::raw, p}));
    }
    return n;
  }

  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::Producer> producer_;
  int64_t produced_ = 0;
  config::AppConfig app_ = testing::default_app();
  MetricsRegistry registry_;
  ManualClock clock_{Timestamp{}};
};

TEST_F(StreamProcessorTest, ProcessesDrainsAndDeadLettersMalformedPayloads) {
  const std::vector<std::string> stations = {"delhi", "london", "tokyo", "lagos", "sydney"};
  for (int i = 0; i < 30; ++i) {
    for (const auto& s : stations) {
      produce(raw_reading(s, format_rfc3339(from_unix_ms(1'767'225'600'000 + int64_t{i} * 300'000)),
                          {{"pm25", 30 + i % 4}, {"temperature", 10}}));
    }
  }
  const std::vector<std::string> bad = {
      "not json at all",
      R"({"v":1,"source":"sim","station":{"id":"delhi"},"observed_at":5,"measurements":{"pm25":1}})",
      R"({"v":9,"source":"sim","station":{"id":"delhi"},"observed_at":"2026-01-01T00:00:00Z","measurements":{"pm25":1}})",
      R"({"v":1,"source":"sim","station":{"id":"nowhere"},"observed_at":"2026-01-01T00:00:00Z","measurements":{"pm25":1}})",
      R"({"v":1,"source":"sim","station":{"id":"delhi"},"observed_at":"2026-01-01T00:00:00Z","measurements":{"pm25":{"value":1,"unit":"lb"}}})"};
  for (const auto& b : bad)
    produce(bus::Message{bus::Topic::raw, "delhi", b});
  // More good data after the bad: the processor keeps going.
  produce(raw_reading("delhi", "2026-01-01T02:35:00Z", {{"pm25", 33}}));

  ProcessorConfig cfg;
  cfg.runtime.workers = 2;
  cfg.runtime.poll_batch = 16;
  StreamProcessor sp(cfg, app_, *bus_, registry_, clock_);
  ASSERT_TRUE(sp.start().ok());
  sp.stop();  // drains everything already on raw before returning

  EXPECT_EQ(sp.processed(), produced_);
  EXPECT_EQ(committed_total(), produced_);
  const auto dead = drain(bus::Topic::dead_letter);
  ASSERT_EQ(dead.size(), bad.size());
  std::vector<std::string> payloads;
  for (const auto& m : dead) {
    auto dl = decode_dead_letter(m.payload);
    ASSERT_TRUE(dl.ok());
    EXPECT_FALSE(dl->reason.empty());
    EXPECT_EQ(dl->topic, "raw");
    payloads.push_back(dl->payload);
  }
  for (const auto& b : bad)
    EXPECT_NE(std::find(payloads.begin(), payloads.end(), b), payloads.end()) << b;
  EXPECT_EQ(drain(bus::Topic::curated).size() >= 151u, true);
  const auto aggs = drain(bus::Topic::aggregates);
  EXPECT_GE(aggs.size(), 5u * 2 * 3);  // 5 stations x 2 metrics x 3 hours (2 closed + 1 flushed)
}

// A batch record (bus.h) is unpacked by the consumer: a bad or empty line is dead-lettered on
// its own, the other lines are processed, and the record is committed once.
TEST_F(StreamProcessorTest, BatchRecordWithBadAndEmptyLinesLosesNothing) {
  const auto good = [](const char* at) {
    return raw_reading("delhi", at, {{"pm25", 30}}).payload;
  };
  bus::Message record{bus::Topic::raw, "delhi",
                      good("2026-01-01T00:05:00Z") + "\nnot json\n\n" + good("2026-01-01T00:10:00Z")};
  record.schema_version = bus::kBatchSchemaVersion;
  produce(record);

  ProcessorConfig cfg;
  cfg.runtime.output_framing = OutputFraming::message;
  StreamProcessor sp(cfg, app_, *bus_, registry_, clock_);
  ASSERT_TRUE(sp.start().ok());
  sp.stop();

  EXPECT_EQ(sp.processed(), 4);       // messages, not records
  EXPECT_EQ(committed_total(), 1);    // one record
  const auto dead = drain(bus::Topic::dead_letter);
  ASSERT_EQ(dead.size(), 2u);
  std::vector<std::string> payloads;
  for (const auto& m : dead) {
    auto dl = decode_dead_letter(m.payload);
    ASSERT_TRUE(dl.ok());
    EXPECT_FALSE(dl->reason.empty());
    payloads.push_back(dl->payload);
  }
  EXPECT_NE(std::find(payloads.begin(), payloads.end(), "not json"), payloads.end());
  EXPECT_NE(std::find(payloads.begin(), payloads.end(), ""), payloads.end());
  EXPECT_EQ(drain(bus::Topic::curated).size(), 2u);
}

// Finished batches wait up to commit_interval_ms to be committed together; stopping commits
// whatever is finished, so nothing processed is left uncommitted by a clean stop.
TEST_F(StreamProcessorTest, BatchesAreCommittedTogetherAndAllAtStop) {
  for (int i = 0; i < 40; ++i) {
    produce(raw_reading("delhi", format_rfc3339(from_unix_ms(1'767'225'600'000 + int64_t{i} * 300'000)),
                        {{"pm25", 30 + i % 4}}));
  }
  ProcessorConfig cfg;
  cfg.runtime.poll_batch = 4;  // ten batches
  cfg.runtime.commit_interval_ms = 60000;
  StreamProcessor sp(cfg, app_, *bus_, registry_, clock_);
  ASSERT_TRUE(sp.start().ok());
  sp.stop();
  EXPECT_EQ(sp.processed(), 40);
  EXPECT_EQ(committed_total(), 40);
}

TEST_F(StreamProcessorTest, StopWithoutInputReturns) {
  StreamProcessor sp(ProcessorConfig{}, app_, *bus_, registry_, clock_);
  ASSERT_TRUE(sp.start().ok());
  sp.stop();
  sp.stop();
  EXPECT_EQ(sp.processed(), 0);
}

}  // namespace
}  // namespace envmon::processor
