// Batch framing (bus.h): what a producer packs, every consumer gets back one by one.
#include <gtest/gtest.h>

#include "bus/bus.h"
#include "bus/memory/memory_bus.h"

namespace envmon::bus {
namespace {

Message msg(Topic t, std::string key, std::string payload, int64_t at_ms = 0) {
  Message m;
  m.topic = t;
  m.key = std::move(key);
  m.payload = std::move(payload);
  m.timestamp = from_unix_ms(at_ms);
  return m;
}

TEST(BatchFramingTest, PacksPerTopicAndKeyInOrderAndKeepsSinglesAsTheyAre) {
  std::vector<Message> in = {msg(Topic::curated, "delhi", "{\"a\":1}", 10),
                             msg(Topic::curated, "oslo", "{\"b\":1}", 11),
                             msg(Topic::curated, "delhi", "{\"a\":2}", 12),
                             msg(Topic::aggregates, "delhi", "{\"c\":1}", 13)};
  std::vector<Message> out;
  pack_batches(in, 1024, out);
  EXPECT_TRUE(in.empty());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].key, "delhi");
  EXPECT_EQ(out[0].schema_version, kBatchSchemaVersion);
  EXPECT_EQ(out[0].payload, "{\"a\":1}\n{\"a\":2}");
  EXPECT_EQ(out[0].timestamp, from_unix_ms(12));  // the latest of its messages
  EXPECT_EQ(out[1].schema_version, 1);             // a group of one is sent as it was
  EXPECT_EQ(out[1].payload, "{\"b\":1}");
  EXPECT_EQ(out[2].topic, Topic::aggregates);
  EXPECT_EQ(out[2].schema_version, 1);
}

TEST(BatchFramingTest, SplitsAtTheSizeLimitAndNeverFramesWhatItCannot) {
  std::vector<Message> in = {msg(Topic::curated, "k", "aaaa"), msg(Topic::curated, "k", "bbbb"),
                             msg(Topic::curated, "k", "cccc"), msg(Topic::curated, "k", "x\ny")};
  in.push_back(msg(Topic::curated, "k", "dddd"));
  in.back().replay = true;
  std::vector<Message> out;
  pack_batches(in, 9, out);  // "aaaa\nbbbb" is 9 bytes: cccc starts a new record
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].payload, "aaaa\nbbbb");
  EXPECT_EQ(out[1].payload, "cccc");
  EXPECT_EQ(out[2].payload, "x\ny");  // a newline in the payload: sent alone, version 1
  EXPECT_EQ(out[2].schema_version, 1);
  EXPECT_EQ(out[3].payload, "dddd");  // replay-flagged: alone
}

TEST(BatchFramingTest, UnpacksIntoVersionOneMessagesWithTheRecordsPlace) {
  Message r = msg(Topic::curated, "delhi", "{\"a\":1}\n\n{\"a\":2}", 5);
  r.schema_version = kBatchSchemaVersion;
  r.partition = 1;
  r.offset = 42;
  r.replay = true;
  std::vector<Message> out;
  unpack_batch(std::move(r), out);
  ASSERT_EQ(out.size(), 3u);  // an empty line stays an (undecodable) message: nothing is dropped
  EXPECT_EQ(out[0].payload, "{\"a\":1}");
  EXPECT_EQ(out[1].payload, "");
  EXPECT_EQ(out[2].payload, "{\"a\":2}");
  for (const auto& m : out) {
    EXPECT_EQ(m.schema_version, 1);
    EXPECT_EQ(m.key, "delhi");
    EXPECT_EQ(m.partition, 1);
    EXPECT_EQ(m.offset, 42);
    EXPECT_TRUE(m.replay);
    EXPECT_EQ(m.timestamp, from_unix_ms(5));
  }
  EXPECT_EQ(offsets_after(out).at({Topic::curated, 1}), 43);
}

TEST(BatchFramingTest, AMessageOverTheLimitTravelsAloneAndTheGroupGoesOn) {
  std::vector<Message> in = {msg(Topic::curated, "k", "aa"), msg(Topic::curated, "k", "0123456789"),
                             msg(Topic::curated, "k", "bb"), msg(Topic::curated, "k", "cc")};
  std::vector<Message> out;
  pack_batches(in, 8, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].payload, "aa");
  EXPECT_EQ(out[0].schema_version, 1);
  EXPECT_EQ(out[1].payload, "0123456789");  // over max_bytes: sent alone, never cut
  EXPECT_EQ(out[1].schema_version, 1);
  EXPECT_EQ(out[2].payload, "bb\ncc");
  EXPECT_EQ(out[2].schema_version, kBatchSchemaVersion);
}

TEST(BatchFramingTest, EmptyOrNewlineOnlyRecordsUnpackIntoEmptyMessagesNotNothing) {
  // Malformed batch records from outside envmon: every line, even empty, reaches the reader
  // (which dead-letters what it cannot decode); nothing disappears in the bus.
  for (const auto& [payload, lines] :
       std::vector<std::pair<std::string, size_t>>{{"", 1}, {"\n", 2}, {"{}\n", 2}}) {
    Message r = msg(Topic::curated, "k", payload);
    r.schema_version = kBatchSchemaVersion;
    r.offset = 7;
    std::vector<Message> out;
    unpack_batch(std::move(r), out);
    ASSERT_EQ(out.size(), lines) << payload;
    for (const auto& m : out) {
      EXPECT_EQ(m.schema_version, 1);
      EXPECT_EQ(m.offset, 7);
    }
    EXPECT_EQ(out.back().payload, "");
  }
}

TEST(BatchFramingTest, MemoryConsumersSeeSingleMessages) {
  auto bus = make_memory_bus({2, 1000});
  auto producer = *bus->producer();
  std::vector<Message> in, out;
  for (int i = 0; i < 5; ++i)
    in.push_back(msg(Topic::curated, "delhi", std::to_string(i)));
  pack_batches(in, 1 << 16, out);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(producer->send(out[0], Millis(10)).ok());
  auto consumer = *bus->consumer("g", {Topic::curated});
  auto polled = consumer->poll(100, Millis(10));
  ASSERT_TRUE(polled.ok());
  ASSERT_EQ(polled->size(), 5u);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ((*polled)[static_cast<size_t>(i)].payload, std::to_string(i));
}

}  // namespace
}  // namespace envmon::bus
