#pragma once

#include <memory>

#include "cache/cache.h"
#include "cache/memory/memory_cache_config.h"
#include "core/clock.h"

namespace envmon::cache {

// A thread-safe LRU cache with per-entry TTL. Keys are spread over `shards` independently locked
// shards so concurrent API threads rarely contend; each shard evicts its least recently used
// entry once it holds max_entries / shards entries. `clock` (not owned, may be null for the
// system clock) decides expiry, so tests can step time instead of sleeping.
std::unique_ptr<Cache> make_memory_cache(const MemoryCacheConfig& config,
                                         const Clock* clock = nullptr);

}  // namespace envmon::cache
