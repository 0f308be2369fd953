#include "processor/pipeline.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "processor/test_support.h"

namespace envmon::processor {
namespace {

using testing::raw_reading;

class PipelineTest : public ::testing::Test {
 protected:
  Pipeline make() {
    return Pipeline(ProcessorConfig{}, app_,
                    ComponentContext("transform", "processor", "t", registry_, clock_));
  }
  config::AppConfig app_ = testing::default_app();
  MetricsRegistry registry_;
  ManualClock clock_{Timestamp{}};
};

std::vector<bus::Message> day_of_input() {
  std::vector<bus::Message> in;
  for (int i = 0; i < 288; ++i) {
    const auto t = format_rfc3339(from_unix_ms(1'767'225'600'000 + int64_t{i} * 300'000));
    const double v = 40 + (i % 12);
    in.push_back(raw_reading("delhi", t,
                             {{"pm25", v},
                              {"pm10", 2 * v},
                              {"no2", 30},
                              {"o3", 50 + i % 5},
                              {"co", 700 + i % 3},
                              {"so2", 9},
                              {"temperature", 20 + 0.01 * i}}));
    in.push_back(raw_reading("london", t, {{"temperature", 5 + 0.01 * i}}));
    // Late but within the 3 h allowed lateness of source "sim": revises the closed 02:00 hour.
    if (i == 60) in.push_back(raw_reading("delhi", "2026-01-01T02:07:00Z", {{"pm25", 47}}));
  }
  in.push_back({bus::Topic::raw, "delhi", "garbage"});
  return in;
}

std::vector<std::string> run(Pipeline& p, const std::vector<bus::Message>& in) {
  Output out;
  std::vector<std::string> all;
  for (const auto& m : in)
    p.process(m, out);
  p.flush_open(out);
  for (auto* l : {&out.curated, &out.aggregates, &out.dead_letters}) {
    for (const auto& m : *l)
      all.push_back(std::string(bus::topic_name(m.topic)) + "|" + m.key + "|" + m.payload);
  }
  return all;
}

// The worker's batch framing happens where outputs are produced (Output::frame): it
// must give the records bus::pack_batches makes of the one-message-per-output form, record
// limit included, and count outputs, not records.
TEST_F(PipelineTest, FramedOutputEqualsPackedMessages) {
  const auto in = day_of_input();
  for (size_t max_bytes : {size_t{600}, size_t{5000}, size_t{1} << 20}) {
    auto plain = make();
    auto framed = make();
    Output single;
    Output records;
    records.frame(max_bytes);
    for (const auto& m : in) {
      plain.process(m, single);
      framed.process(m, records);
    }
    EXPECT_EQ(records.size(), single.size());
    std::vector<bus::Message> packed;
    bus::pack_batches(single.curated, max_bytes, packed);
    bus::pack_batches(single.aggregates, max_bytes, packed);
    std::vector<bus::Message> got = records.curated;
    got.insert(got.end(), records.aggregates.begin(), records.aggregates.end());
    ASSERT_EQ(got.size(), packed.size()) << max_bytes;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].topic, packed[i].topic);
      EXPECT_EQ(got[i].key, packed[i].key);
      EXPECT_EQ(got[i].payload, packed[i].payload);
      EXPECT_EQ(got[i].schema_version, packed[i].schema_version);
      EXPECT_EQ(got[i].timestamp, packed[i].timestamp);
    }
    EXPECT_EQ(records.dead_letters.size(), single.dead_letters.size());
  }
}

// Curated heads (source and station block) are encoded once per station and reused while those
// fields stay the same: a reading whose source, name or coordinates differ gets its own.
TEST_F(PipelineTest, CachedReadingHeadsFollowTheReadingsFields) {
  auto p = make();
  Output out;
  for (int i = 0; i < 12; ++i) {
    const auto t = format_rfc3339(from_unix_ms(1'767'225'600'000 + int64_t{i} * 300'000));
    auto m = raw_reading("delhi", t, {{"pm25", 40 + i}}, i % 3 == 0 ? "owm" : "sim");
    if (i % 4 == 1) {  // a station block with its own name and coordinates
      const std::string block = R"("station":{"id":"delhi"})";
      m.payload.replace(m.payload.find(block), block.size(),
                        R"("station":{"id":"delhi","name":"Delhi )" + std::to_string(i) +
                            R"(","lat":28.6)" + std::to_string(i) + R"(,"lon":77.2})");
    }
    p.process(m, out);
  }
  ASSERT_FALSE(out.curated.empty());
  for (const auto& c : out.curated) {
    auto r = decode_reading(c.payload);
    ASSERT_TRUE(r.ok()) << c.payload;
    EXPECT_EQ(encode_reading(*r), c.payload);
  }
  EXPECT_TRUE(out.dead_letters.empty());
}

TEST_F(PipelineTest, ReplayIsByteIdentical) {
  auto a = make();
  auto b = make();
  const auto in = day_of_input();
  const auto first = run(a, in);
  EXPECT_EQ(first, run(b, in));
  EXPECT_GT(first.size(), 600u);
}

TEST_F(PipelineTest, LateReadingRevisesTheHourAndAqiIsEmitted) {
  auto p = make();
  const auto out = run(p, day_of_input());
  int revisions = 0, aqi_us = 0, aqi_in = 0, aqi_curated = 0;
  for (const auto& line : out) {
    if (line.find("\"metric\":\"pm25\"") != std::string::npos &&
        line.find("\"bucket_start\":\"2026-01-01T02:00:00Z\"") != std::string::npos &&
        line.find("\"revision\":1") != std::string::npos) {
      ++revisions;
    }
    if (line.starts_with("aggregates") && line.find("\"aqi_us\"") != std::string::npos) ++aqi_us;
    if (line.starts_with("aggregates") && line.find("\"aqi_in\"") != std::string::npos) ++aqi_in;
    if (line.starts_with("curated") && line.find("\"aqi_us\":{\"value\"") != std::string::npos)
      ++aqi_curated;
  }
  EXPECT_EQ(revisions, 1);
  EXPECT_GE(aqi_us, 24);
  EXPECT_GE(aqi_curated, 24);
  EXPECT_GE(aqi_in, 1);  // India needs 16 h of PM: only the later hours of the day qualify
}

TEST_F(PipelineTest, CountsDiscardsAndErrorsPerBatch) {
  auto p = make();
  Output out;
  const auto m = raw_reading("tokyo", "2026-01-01T00:00:00Z", {{"temperature", 5}});
  p.process(m, out);
  p.process(m, out);  // exact duplicate
  p.process(raw_reading("tokyo", "2026-01-01T00:00:00Z", {{"temperature", 6}}), out);  // conflict
  p.process({bus::Topic::raw, "x", "{"}, out);
  ComponentContext probe("transform", "processor", "t", registry_, clock_);
  EXPECT_EQ(probe.metrics->received_total(), 0);  // nothing published before flush_metrics
  p.flush_metrics();
  EXPECT_EQ(probe.metrics->received_total(), 4);
  EXPECT_EQ(probe.metrics->discarded_total("duplicate"), 1);
  EXPECT_EQ(probe.metrics->discarded_total("conflict"), 1);
  EXPECT_EQ(probe.metrics->errors_total("decode", "decode_syntax"), 1);
  EXPECT_EQ(out.curated.size(), 1u);
  ASSERT_EQ(out.dead_letters.size(), 1u);
  auto dl = decode_dead_letter(out.dead_letters[0].payload);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->payload, "{");
}

TEST_F(PipelineTest, ClockSkewRejectPolicyDeadLetters) {
  ProcessorConfig cfg;
  cfg.validate.clock_skew = transforms::ClockSkewPolicy::reject;
  Pipeline p(cfg, app_, ComponentContext("transform", "processor", "t", registry_, clock_));
  auto m = raw_reading("tokyo", "2026-01-01T10:00:00Z", {{"temperature", 5}});
  m.payload.replace(m.payload.find("\"ingested_at\":\"2026-01-01T10"), 28,
                    "\"ingested_at\":\"2026-01-01T09");
  Output out;
  p.process(m, out);
  ASSERT_EQ(out.dead_letters.size(), 1u);
  EXPECT_NE(out.dead_letters[0].payload.find("validate_time"), std::string::npos);
}

}  // namespace
}  // namespace envmon::processor

namespace envmon::processor {
namespace {

class PipelineEnvelopeTest : public ::testing::Test {
 protected:
  Pipeline make() {
    return Pipeline(ProcessorConfig{}, testing::default_app(),
                    ComponentContext("transform", "processor", "t", registry_, clock_));
  }
  MetricsRegistry registry_;
  ManualClock clock_{Timestamp{}};
};

TEST_F(PipelineEnvelopeTest, UnknownSchemaVersionAndOversizedMessagesAreDeadLettered) {
  auto p = make();
  Output out;
  auto future = testing::raw_reading("tokyo", "2026-01-01T00:00:00Z", {{"temperature", 5}});
  future.schema_version = 2;
  p.process(future, out);
  p.process({bus::Topic::raw, "big", std::string(300'000, ' ')}, out);
  ASSERT_EQ(out.dead_letters.size(), 2u);
  auto version = decode_dead_letter(out.dead_letters[0].payload);
  auto size = decode_dead_letter(out.dead_letters[1].payload);
  ASSERT_TRUE(version.ok() && size.ok());
  EXPECT_EQ(version->error_code, "decode_version");
  EXPECT_NE(version->reason.find("unknown schema version 2"), std::string::npos);
  EXPECT_NE(size->reason.find("oversized message: 300000 bytes"), std::string::npos);
  EXPECT_EQ(size->payload.size(), kDeadLetterPayloadBytes);  // clipped: the topic has limits too
  EXPECT_TRUE(out.curated.empty());
}

TEST_F(PipelineEnvelopeTest, DroppingAPartitionForgetsItsStationsOnly) {
  auto p = make();
  Output out;
  auto a = testing::raw_reading("tokyo", "2026-01-01T00:00:00Z", {{"temperature", 5}});
  a.partition = 0;
  auto b = testing::raw_reading("delhi", "2026-01-01T00:00:00Z", {{"temperature", 30}});
  b.partition = 1;
  p.process(a, out);
  p.process(b, out);
  p.drop_partition(0);
  out.clear();
  p.process(a, out);  // state forgotten: no longer a duplicate
  p.process(b, out);  // still known: a duplicate
  EXPECT_EQ(out.curated.size(), 1u);
  EXPECT_EQ(out.curated[0].key, "tokyo");
}

}  // namespace
}  // namespace envmon::processor
