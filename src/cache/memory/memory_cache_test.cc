#include "cache/memory/memory_cache.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace envmon::cache {
namespace {

MemoryCacheConfig small_config(int64_t max_entries, int64_t shards = 1) {
  MemoryCacheConfig c;
  c.max_entries = max_entries;
  c.shards = shards;
  c.default_ttl_ms = 1000;
  return c;
}

TEST(MemoryCache, GetReturnsWhatWasPut) {
  ManualClock clock(from_unix_ms(0));
  auto cache = make_memory_cache(small_config(10), &clock);
  EXPECT_FALSE(cache->get("a").has_value());
  cache->put("a", "1", Millis(100));
  ASSERT_TRUE(cache->get("a").has_value());
  EXPECT_EQ(*cache->get("a"), "1");
  cache->put("a", "2", Millis(100));
  EXPECT_EQ(*cache->get("a"), "2");
}

TEST(MemoryCache, EntriesExpireAfterTtl) {
  ManualClock clock(from_unix_ms(0));
  auto cache = make_memory_cache(small_config(10), &clock);
  cache->put("a", "1", Millis(100));
  cache->put("b", "2", Millis(0));  // default TTL (1000 ms)
  clock.advance(Millis(99));
  EXPECT_TRUE(cache->get("a").has_value());
  clock.advance(Millis(1));
  EXPECT_FALSE(cache->get("a").has_value());
  EXPECT_TRUE(cache->get("b").has_value());
  clock.advance(Millis(900));
  EXPECT_FALSE(cache->get("b").has_value());
}

TEST(MemoryCache, EvictsLeastRecentlyUsed) {
  ManualClock clock(from_unix_ms(0));
  auto cache = make_memory_cache(small_config(2), &clock);
  cache->put("a", "1", Millis(1000));
  cache->put("b", "2", Millis(1000));
  EXPECT_TRUE(cache->get("a").has_value());  // a is now more recent than b
  cache->put("c", "3", Millis(1000));
  EXPECT_TRUE(cache->get("a").has_value());
  EXPECT_FALSE(cache->get("b").has_value());
  EXPECT_TRUE(cache->get("c").has_value());
}

TEST(MemoryCache, InvalidateByPrefixAndAll) {
  auto cache = make_memory_cache(small_config(100, 4));
  cache->put("api:/a", "1", Millis(60000));
  cache->put("api:/b", "2", Millis(60000));
  cache->put("other", "3", Millis(60000));
  cache->invalidate("api:");
  EXPECT_FALSE(cache->get("api:/a").has_value());
  EXPECT_FALSE(cache->get("api:/b").has_value());
  EXPECT_TRUE(cache->get("other").has_value());
  cache->invalidate("");
  EXPECT_FALSE(cache->get("other").has_value());
}

TEST(MemoryCache, ConcurrentUseKeepsEveryShardConsistent) {
  auto cache = make_memory_cache(small_config(64, 8));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 200);
        cache->put(key, key, Millis(60000));
        auto v = cache->get(key);
        if (v) {
          EXPECT_EQ(*v, key);
        }
        if (i % 500 == 0) cache->invalidate("k1");
      }
    });
  }
  for (auto& th : threads) th.join();
  size_t present = 0;
  for (int i = 0; i < 200; ++i) present += cache->get("k" + std::to_string(i)).has_value() ? 1 : 0;
  EXPECT_LE(present, 64u);
}

TEST(MemoryCacheConfig, ParsesAndRejectsUnknownKeys) {
  auto node = config::load_text("max_entries: 5\ndefault_ttl_ms: 250\n", "test.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_memory_cache_config(*node);
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->max_entries, 5);
  EXPECT_EQ(cfg->default_ttl_ms, 250);
  EXPECT_EQ(cfg->shards, 16);

  auto bad = config::load_text("max_entry: 5\n", "test.yaml");
  ASSERT_TRUE(bad.ok());
  auto err = parse_memory_cache_config(*bad);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.error().message().find("max_entries"), std::string::npos);
  EXPECT_EQ(cache_schema_docs().front().section, "cache.memory");
}

}  // namespace
}  // namespace envmon::cache
