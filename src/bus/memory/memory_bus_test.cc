#include "bus/memory/memory_bus.h"

#include <gtest/gtest.h>

#include <thread>

namespace envmon::bus {
namespace {

Message msg(std::string key, std::string payload, Topic t = Topic::raw) {
  Message m;
  m.topic = t;
  m.key = std::move(key);
  m.payload = std::move(payload);
  return m;
}

TEST(MemoryBusTest, KeepsPerKeyOrderAndOffsets) {
  auto bus = make_memory_bus({4, 1000});
  auto prod = *bus->producer();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(prod->send(msg("delhi", std::to_string(i)), Millis(10)).ok());
  auto cons = *bus->consumer("g", {Topic::raw});
  auto batch = cons->poll(1000, Millis(10));
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ((*batch)[static_cast<size_t>(i)].payload, std::to_string(i));
    EXPECT_EQ((*batch)[static_cast<size_t>(i)].offset, i);
  }
}

TEST(MemoryBusTest, UncommittedMessagesAreRedeliveredToTheNextMember) {
  auto bus = make_memory_bus({1, 1000});
  auto prod = *bus->producer();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(prod->send(msg("k", std::to_string(i)), Millis(10)).ok());
  {
    auto c1 = *bus->consumer("g", {Topic::raw});
    auto b = *c1->poll(4, Millis(10));
    ASSERT_EQ(b.size(), 4u);
    ASSERT_TRUE(c1->commit(offsets_after(b)).ok());
    (void)c1->poll(4, Millis(10));  // read but never committed: "crashed"
  }
  auto c2 = *bus->consumer("g", {Topic::raw});
  auto b = *c2->poll(100, Millis(10));
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b.front().payload, "4");
  EXPECT_EQ(bus->committed("g", {Topic::raw, 0}), 4);
}

TEST(MemoryBusTest, FullPartitionBlocksThenReportsRetryableBackPressure) {
  auto bus = make_memory_bus({1, 16});
  auto cons = *bus->consumer("g", {Topic::raw});
  auto prod = *bus->producer();
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(prod->send(msg("k", "x"), Millis(10)).ok());
  Status full = prod->send(msg("k", "x"), Millis(20));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), Errc::bus_full);
  EXPECT_TRUE(full.error().retryable());
  // A consumer committing frees room and unblocks a waiting producer.
  std::thread t([&] {
    auto b = *cons->poll(16, Millis(100));
    ASSERT_TRUE(cons->commit(offsets_after(b)).ok());
  });
  EXPECT_TRUE(prod->send(msg("k", "y"), Millis(2000)).ok());
  t.join();
}

TEST(MemoryBusTest, GroupMembersSharePartitions) {
  auto bus = make_memory_bus({4, 100});
  auto a = *bus->consumer("g", {Topic::raw, Topic::curated});
  auto b = *bus->consumer("g", {Topic::raw, Topic::curated});
  EXPECT_EQ(a->assignment().size() + b->assignment().size(), 8u);
  EXPECT_EQ(a->assignment().size(), 4u);
  b->close();
  EXPECT_EQ(a->assignment().size(), 8u);
}

TEST(MemoryBusTest, ShutdownWakesBlockedCallers) {
  auto bus = make_memory_bus({1, 16});
  auto cons = *bus->consumer("g", {Topic::raw});
  std::thread t([&] { bus->shutdown(); });
  auto r = cons->poll(10, Millis(5000));
  t.join();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE((*bus->producer())->send(msg("k", "x"), Millis(10)).ok());
}

}  // namespace
}  // namespace envmon::bus
