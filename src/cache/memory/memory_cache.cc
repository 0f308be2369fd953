#include "cache/memory/memory_cache.h"

#include <algorithm>
#include <functional>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace envmon::cache {

namespace {

struct Entry {
  std::string key;
  std::string value;
  Timestamp expires_at;
};

// One independently locked LRU list. The index keys are views into the list's own keys: list
// nodes never move, so each key is stored (and allocated) once.
class Shard {
 public:
  explicit Shard(size_t capacity) : capacity_(capacity) {}

  std::optional<std::string> get(const std::string& key, Timestamp now) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    auto node = it->second;
    if (node->expires_at <= now) {
      index_.erase(it);
      lru_.erase(node);
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, node);  // most recently used at the front
    return node->value;
  }

  void put(const std::string& key, const std::string& value, Timestamp expires_at) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->value = value;
      it->second->expires_at = expires_at;
      lru_.splice(lru_.begin(), lru_, it->second);
      return;
    }
    while (!lru_.empty() && lru_.size() >= capacity_) evict_last();
    lru_.push_front(Entry{key, value, expires_at});
    index_.emplace(std::string_view(lru_.front().key), lru_.begin());
  }

  void invalidate(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    if (prefix.empty()) {
      index_.clear();
      lru_.clear();
      return;
    }
    for (auto node = lru_.begin(); node != lru_.end();) {
      if (std::string_view(node->key).starts_with(prefix)) {
        index_.erase(std::string_view(node->key));
        node = lru_.erase(node);
      } else {
        ++node;
      }
    }
  }

 private:
  void evict_last() {
    index_.erase(std::string_view(lru_.back().key));
    lru_.pop_back();
  }

  size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> lru_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
};

class MemoryCache final : public Cache {
 public:
  MemoryCache(const MemoryCacheConfig& config, const Clock* clock)
      : clock_(clock != nullptr ? clock : &system_clock_),
        default_ttl_(config.default_ttl_ms) {
    const size_t shards = static_cast<size_t>(std::max<int64_t>(1, config.shards));
    const size_t total = static_cast<size_t>(std::max<int64_t>(1, config.max_entries));
    const size_t per_shard = std::max<size_t>(1, (total + shards - 1) / shards);
    shards_.reserve(shards);
    for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>(per_shard));
  }

  std::optional<std::string> get(const std::string& key) override {
    return shard(key).get(key, clock_->now());
  }

  void put(const std::string& key, const std::string& value, Millis ttl) override {
    if (ttl.count() <= 0) ttl = default_ttl_;
    shard(key).put(key, value, clock_->now() + ttl);
  }

  void invalidate(const std::string& prefix) override {
    for (auto& s : shards_) s->invalidate(prefix);
  }

 private:
  Shard& shard(const std::string& key) {
    return *shards_[std::hash<std::string>{}(key) % shards_.size()];
  }

  SystemClock system_clock_;
  const Clock* clock_;
  Millis default_ttl_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace

std::unique_ptr<Cache> make_memory_cache(const MemoryCacheConfig& config, const Clock* clock) {
  return std::make_unique<MemoryCache>(config, clock);
}

const config::Schema<MemoryCacheConfig>& memory_cache_schema() {
  static const config::Schema<MemoryCacheConfig> schema = [] {
    config::Schema<MemoryCacheConfig> s("cache.memory");
    s.integer("max_entries", &MemoryCacheConfig::max_entries, 10000, "entries", 1, 100'000'000,
              "Entries held before the least recently used are evicted")
        .integer("default_ttl_ms", &MemoryCacheConfig::default_ttl_ms, 2000, "ms", 1,
                 86'400'000, "Lifetime of an entry stored without an explicit TTL")
        .integer("shards", &MemoryCacheConfig::shards, 16, "", 1, 1024,
                 "Independently locked shards; more shards, less contention between API threads");
    return s;
  }();
  return schema;
}

Result<MemoryCacheConfig> parse_memory_cache_config(const config::Node& node) {
  MemoryCacheConfig out;
  Status s = config::fill(node, memory_cache_schema(), out);
  if (!s.ok()) return s.error();
  return out;
}

std::vector<config::SchemaDoc> cache_schema_docs() {
  return {config::SchemaDoc{"cache.memory",
                            "In-process response cache of the HTTP API (LRU with TTL, sharded locks)",
                            memory_cache_schema().specs()}};
}

}  // namespace envmon::cache
