// Integration tests against a real broker: ctest starts one (fixture `kafka`, see kafka.cmake)
// and passes its address in ENVMON_KAFKA_BOOTSTRAP. Each test uses its own topic prefix, so
// tests do not see each other's messages.
#include "bus/kafka/kafka_bus.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bus/kafka/kafka_clients.h"

namespace envmon::bus {
namespace {

constexpr Millis kWait{15000};  // generous upper bound; tests never assert on durations

class KafkaBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bootstrap = std::getenv("ENVMON_KAFKA_BOOTSTRAP");
    if (bootstrap == nullptr)
      GTEST_SKIP() << "ENVMON_KAFKA_BOOTSTRAP unset: no broker (run through ctest)";
    config_.bootstrap_servers = bootstrap;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    config_.topic_prefix = "t" + std::to_string(::getpid()) + "-" + info->name() + ".";
    config_.session_timeout_ms = 6000;
    config_.heartbeat_interval_ms = 300;
    config_.linger_ms = 1;
    // A fresh broker on a loaded 2-core box can take over 15 s to show new topics' metadata.
    config_.admin_timeout_ms = 60000;
  }

  std::unique_ptr<Bus> open() {
    auto bus = make_kafka_bus(config_);
    EXPECT_TRUE(bus.ok()) << (bus.ok() ? "" : bus.error().to_string());
    return bus.ok() ? std::move(*bus) : nullptr;
  }

  KafkaBusConfig config_;
};

Message msg(std::string key, std::string payload, Topic t = Topic::raw) {
  Message m;
  m.topic = t;
  m.key = std::move(key);
  m.payload = std::move(payload);
  return m;
}

// Polls until `n` messages arrived (or kWait passed).
std::vector<Message> poll_n(Consumer& c, size_t n) {
  std::vector<Message> out;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto batch = c.poll(n - out.size(), Millis(200));
    EXPECT_TRUE(batch.ok());
    if (!batch.ok()) break;
    for (auto& m : *batch)
      out.push_back(std::move(m));
  }
  return out;
}

// Polls the members (serving their rebalances) until `done` holds (or kWait passed).
template <typename Pred>
bool poll_until(const std::vector<Consumer*>& members, Pred done) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    for (Consumer* c : members)
      EXPECT_TRUE(c->poll(100, Millis(50)).ok());
  }
  return true;
}

// Each key's payloads (sequence numbers) arrive in increasing order.
void expect_key_order(const std::vector<Message>& got) {
  std::map<std::string, int> last;
  for (const auto& m : got) {
    const int i = std::stoi(m.payload);
    EXPECT_GT(i, last.count(m.key) ? last[m.key] : -1) << "order of key " << m.key;
    last[m.key] = i;
  }
}

void send_all(Producer& p, const std::vector<Message>& messages) {
  for (const auto& m : messages)
    ASSERT_TRUE(p.send(m, Millis(5000)).ok());
  ASSERT_TRUE(p.flush(kWait).ok());
}

TEST_F(KafkaBusTest, CreatesTopicsWithPartitionsAndLeavesExistingOnes) {
  config_.partitions = 3;
  auto bus = open();
  ASSERT_TRUE(bus);
  for (Topic t : kAllTopics)
    EXPECT_EQ(bus->partitions(t), 3) << topic_name(t);
  config_.partitions = 5;  // existing topics are not altered: the real count wins
  auto again = open();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->partitions(Topic::raw), 3);
}

// The processor's producers: no idempotence, one request in flight, order kept all the same.
TEST_F(KafkaBusTest, OrderedProducerKeepsKeyOrder) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer({ProducerDelivery::ordered, std::nullopt});
  std::vector<Message> sent;
  for (int i = 0; i < 300; ++i)
    sent.push_back(msg(std::string(1, static_cast<char>('a' + i % 3)), std::to_string(i)));
  send_all(*prod, sent);
  auto cons = *bus->consumer("g", {Topic::raw});
  auto got = poll_n(*cons, sent.size());
  ASSERT_EQ(got.size(), sent.size());
  expect_key_order(got);
}

TEST_F(KafkaBusTest, RoundTripKeepsKeyOrderPartitionAndHeaders) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  std::vector<Message> sent;
  for (int i = 0; i < 30; ++i) {
    Message m = msg(std::string(1, static_cast<char>('a' + i % 3)), std::to_string(i));
    m.timestamp = from_unix_ms(1'700'000'000'000 + i);
    m.schema_version = i == 7 ? 99 : 1;  // an unknown version is delivered as read, not dropped
    sent.push_back(m);
  }
  send_all(*prod, sent);
  auto cons = *bus->consumer("g", {Topic::raw});
  auto got = poll_n(*cons, sent.size());
  ASSERT_EQ(got.size(), sent.size());
  expect_key_order(got);
  for (const auto& m : got) {
    const int i = std::stoi(m.payload);
    EXPECT_EQ(m.topic, Topic::raw);
    EXPECT_EQ(m.partition, partition_for(m.key, 2));
    EXPECT_EQ(m.timestamp, from_unix_ms(1'700'000'000'000 + i));
    EXPECT_EQ(m.schema_version, i == 7 ? 99 : 1);
    EXPECT_FALSE(m.replay);
    EXPECT_GE(m.offset, 0);
  }
  EXPECT_EQ(bus->stats(Topic::raw).produced, 30);
}

TEST_F(KafkaBusTest, ReplayHeaderRoundTrips) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  Message replayed = msg("k", "old");
  replayed.replay = true;
  send_all(*prod, {replayed, msg("k", "new")});
  auto cons = *bus->consumer("g", {Topic::raw});
  auto got = poll_n(*cons, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].replay);
  EXPECT_FALSE(got[1].replay);
}

// Records from a producer outside envmon: headers missing or unreadable.
void produce_foreign(const KafkaBusConfig& config, const std::string& topic,
                     const std::vector<std::pair<std::string, const char*>>& key_and_version) {
  kafka::BusState state;
  state.config = config;
  auto conf = kafka::make_conf(state, {});
  ASSERT_TRUE(conf.ok());
  auto rk = kafka::make_handle(RD_KAFKA_PRODUCER, std::move(*conf));
  ASSERT_TRUE(rk.ok());
  for (const auto& [key, version] : key_and_version) {
    std::vector<rd_kafka_vu_t> vus(4);
    vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    vus[0].u.cstr = topic.c_str();
    vus[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[1].u.i32 = 0;
    vus[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[2].u.i = RD_KAFKA_MSG_F_COPY;
    vus[3].vtype = RD_KAFKA_VTYPE_KEY;
    vus[3].u.mem = {const_cast<char*>(key.data()), key.size()};
    if (version != nullptr) {
      vus.push_back({});
      vus.back().vtype = RD_KAFKA_VTYPE_HEADER;
      vus.back().u.header = {kafka::kSchemaVersionHeader, version,
                             static_cast<ssize_t>(std::strlen(version))};
      vus.push_back({});
      vus.back().vtype = RD_KAFKA_VTYPE_HEADER;
      vus.back().u.header = {kafka::kReplayHeader, "maybe", 5};
    }
    rd_kafka_error_t* error = rd_kafka_produceva(rk->get(), vus.data(), vus.size());
    ASSERT_EQ(error, nullptr) << rd_kafka_error_string(error);
  }
  ASSERT_EQ(rd_kafka_flush(rk->get(), static_cast<int>(kWait.count())), RD_KAFKA_RESP_ERR_NO_ERROR);
}

TEST_F(KafkaBusTest, ForeignRecordsAreDeliveredWithAnUnusableVersionInsteadOfDropped) {
  auto bus = open();
  ASSERT_TRUE(bus);
  produce_foreign(config_, config_.topic_prefix + "raw",
                  {{"none", nullptr}, {"bad", "v2"}, {"huge", "99999999999"}, {"three", "3"}});
  auto cons = *bus->consumer("g", {Topic::raw});
  auto got = poll_n(*cons, 4);
  ASSERT_EQ(got.size(), 4u);
  const std::map<std::string, int32_t> expected = {
      {"none", 1}, {"bad", 0}, {"huge", 0}, {"three", 3}};  // 2 is a batch record (bus.h)
  for (const auto& m : got) {
    EXPECT_EQ(m.schema_version, expected.at(m.key)) << m.key;
    EXPECT_FALSE(m.replay) << m.key << ": only '1' or 'true' mark a replay";
    EXPECT_TRUE(m.payload.empty()) << "a record without value reads as an empty payload";
  }
}

TEST_F(KafkaBusTest, BatchRecordsTravelAsOneRecordAndArriveAsSingleMessages) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  std::vector<Message> in, records;
  for (int i = 0; i < 10; ++i)
    in.push_back(msg(i % 2 ? "oslo" : "delhi", std::to_string(i), Topic::curated));
  pack_batches(in, 1 << 16, records);
  ASSERT_EQ(records.size(), 2u);
  send_all(*prod, records);
  EXPECT_EQ(bus->stats(Topic::curated).produced, 2);
  auto cons = *bus->consumer("g", {Topic::curated});
  auto got = poll_n(*cons, 10);
  ASSERT_EQ(got.size(), 10u);
  std::map<std::string, int> last;
  for (const auto& m : got) {
    const int i = std::stoi(m.payload);
    EXPECT_GT(i, last.count(m.key) ? last[m.key] : -1) << "order of key " << m.key;
    last[m.key] = i;
    EXPECT_EQ(m.schema_version, 1);
    EXPECT_EQ(m.offset, 0) << "every message of a record carries the record's offset";
  }
}

TEST_F(KafkaBusTest, NewMemberResumesAfterTheCommit) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  std::vector<Message> sent;
  for (int i = 0; i < 10; ++i)
    sent.push_back(msg("k", std::to_string(i)));
  send_all(*prod, sent);
  const TopicPartition tp{Topic::raw, partition_for("k", 2)};
  {
    auto c1 = *bus->consumer("g", {Topic::raw});
    auto first = poll_n(*c1, 4);
    ASSERT_EQ(first.size(), 4u);
    first.resize(4);
    ASSERT_TRUE(c1->commit(offsets_after(first)).ok());
  }
  EXPECT_EQ(bus->committed("g", tp), 4);
  EXPECT_EQ(bus->committed("other", tp), -1);
  const TopicStats s = bus->stats(Topic::raw);
  EXPECT_EQ(s.produced, 10);
  EXPECT_EQ(s.retained, 6);
  auto c2 = *bus->consumer("g", {Topic::raw});
  auto rest = poll_n(*c2, 6);
  ASSERT_EQ(rest.size(), 6u);
  EXPECT_EQ(rest.front().payload, "4");
  EXPECT_EQ(rest.back().payload, "9");
}

TEST_F(KafkaBusTest, UncommittedMessagesAreRedeliveredAfterACrash) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  std::vector<Message> sent;
  for (int i = 0; i < 10; ++i)
    sent.push_back(msg("k", std::to_string(i)));
  send_all(*prod, sent);
  {
    auto c1 = *bus->consumer("g", {Topic::raw});
    ASSERT_EQ(poll_n(*c1, 10).size(), 10u);
    c1->close();  // "crashed" before committing
    EXPECT_FALSE(c1->poll(1, Millis(0)).ok());
  }
  auto c2 = *bus->consumer("g", {Topic::raw});
  auto again = poll_n(*c2, 10);
  ASSERT_EQ(again.size(), 10u);
  EXPECT_EQ(again.front().payload, "0");
}

TEST_F(KafkaBusTest, GroupMembersSharePartitions) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto a = *bus->consumer("g", {Topic::raw, Topic::curated});
  ASSERT_TRUE(poll_until({a.get()}, [&] { return a->assignment().size() == 4; }));
  auto b = *bus->consumer("g", {Topic::raw, Topic::curated});
  ASSERT_TRUE(poll_until({a.get(), b.get()}, [&] {
    return a->assignment().size() == 2 && b->assignment().size() == 2;
  }));
  for (const auto& tp : a->assignment()) {
    const auto theirs = b->assignment();
    EXPECT_EQ(std::count(theirs.begin(), theirs.end(), tp), 0);
  }
  b->close();
  EXPECT_TRUE(poll_until({a.get()}, [&] { return a->assignment().size() == 4; }));
}

TEST_F(KafkaBusTest, FullProducerQueueBlocksThenFailsRetryablyAndDropsNothing) {
  config_.queue_max_messages = 4;
  config_.linger_ms = 60000;  // nothing leaves before flush: the queue stays full
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(prod->send(msg("k", std::to_string(i)), Millis(0)).ok());
  Status full = prod->send(msg("k", "4"), Millis(50));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), Errc::bus_full);
  EXPECT_TRUE(full.error().retryable());
  ASSERT_TRUE(prod->flush(kWait).ok());  // flush sends at once, whatever linger_ms says
  ASSERT_TRUE(prod->send(msg("k", "4"), Millis(0)).ok());
  ASSERT_TRUE(prod->flush(kWait).ok());
  auto cons = *bus->consumer("g", {Topic::raw});
  auto got = poll_n(*cons, 5);
  ASSERT_EQ(got.size(), 5u);
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i].payload, std::to_string(i));
  EXPECT_TRUE(cons->poll(10, Millis(300))->empty()) << "nothing duplicated";
}

TEST_F(KafkaBusTest, OversizedMessageIsRefusedWithoutHarmingTheProducer) {
  config_.message_max_bytes = 10000;
  auto bus = open();
  ASSERT_TRUE(bus);
  auto prod = *bus->producer();
  Status big = prod->send(msg("k", std::string(20000, 'x')), Millis(100));
  ASSERT_FALSE(big.ok());
  EXPECT_FALSE(big.error().retryable());
  EXPECT_NE(big.error().message().find("message_max_bytes"), std::string::npos)
      << big.error().message();
  EXPECT_TRUE(prod->send(msg("k", "small"), Millis(100)).ok());
  EXPECT_TRUE(prod->flush(kWait).ok());
}

TEST_F(KafkaBusTest, PermanentDeliveryFailureSurfacesAtTheNextFlush) {
  config_.partitions = 2;
  ASSERT_TRUE(open());  // creates the topics with 2 partitions
  // A producer that believes in 4 partitions: partitions 2 and 3 do not exist on the broker,
  // so the message fails in its delivery report, after send() accepted it.
  kafka::BusState state;
  state.config = config_;
  state.partitions.fill(4);
  std::string key = "k";
  while (partition_for(key, 4) < 2)
    key += "k";
  auto prod = kafka::KafkaProducer::create(state);
  ASSERT_TRUE(prod.ok());
  ASSERT_TRUE((*prod)->send(msg(key, "lost"), Millis(1000)).ok());
  Status flushed = (*prod)->flush(kWait);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ((*prod)->failed(), 1);
  EXPECT_TRUE((*prod)->flush(Millis(1000)).ok()) << "an error is reported once";
}

// The processor's workers send batch after batch and learn per batch (checkpoint) when its
// records are acknowledged: a lost record fails its own batch only, once, and is not blamed on
// a later send.
TEST_F(KafkaBusTest, CheckpointsReportEachBatchsOwnAcknowledgement) {
  config_.partitions = 2;
  ASSERT_TRUE(open());  // creates the topics with 2 partitions
  kafka::BusState state;  // a producer that believes in 4 (see the test above)
  state.config = config_;
  state.partitions.fill(4);
  std::string good = "g";
  while (partition_for(good, 4) >= 2)
    good += "g";
  std::string bad = "k";
  while (partition_for(bad, 4) < 2)
    bad += "k";
  auto prod = kafka::KafkaProducer::create(state);
  ASSERT_TRUE(prod.ok());
  auto& p = **prod;
  ASSERT_TRUE(p.send(msg(good, "1"), Millis(1000)).ok());
  const uint64_t first = p.checkpoint();
  ASSERT_TRUE(p.send(msg(bad, "lost"), Millis(1000)).ok());
  const uint64_t second = p.checkpoint();
  ASSERT_TRUE(p.send(msg(good, "3"), Millis(1000)).ok());
  const uint64_t third = p.checkpoint();
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  const auto settled = [&](uint64_t mark) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    for (;;) {
      auto r = p.acknowledged(mark, Millis(100));
      if (!r.ok() || *r || std::chrono::steady_clock::now() > deadline) return r;
    }
  };
  auto a = settled(first);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_TRUE(*a);
  auto b = settled(second);
  ASSERT_FALSE(b.ok()) << "the batch with the lost record";
  auto c = settled(third);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_TRUE(*c) << "a later batch is judged by its own records";
  EXPECT_TRUE(p.send(msg(good, "4"), Millis(1000)).ok()) << "the loss is not blamed on a send";
  EXPECT_EQ(p.failed(), 1);
}

TEST_F(KafkaBusTest, ShutdownWakesBlockedCallers) {
  auto bus = open();
  ASSERT_TRUE(bus);
  auto cons = *bus->consumer("g", {Topic::raw});
  std::thread t([&] {
    std::this_thread::sleep_for(Millis(100));
    bus->shutdown();
  });
  auto r = cons->poll(10, Millis(60000));
  t.join();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE(bus->producer().ok());
}

TEST(KafkaBusStartTest, UnreachableClusterIsAStartUpError) {
  KafkaBusConfig config;
  config.bootstrap_servers = "127.0.0.1:1";  // nothing listens on port 1
  config.admin_timeout_ms = 500;
  auto bus = make_kafka_bus(config);
  ASSERT_FALSE(bus.ok());
  EXPECT_TRUE(bus.error().retryable()) << bus.error().to_string();
}

}  // namespace
}  // namespace envmon::bus
