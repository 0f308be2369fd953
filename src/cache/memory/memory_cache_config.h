#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::cache {

// `cache: {type: memory, memory: {...}}`: the embedded response cache of the API.
struct MemoryCacheConfig {
  int64_t max_entries = 10000;
  int64_t default_ttl_ms = 2000;
  int64_t shards = 16;
};

const config::Schema<MemoryCacheConfig>& memory_cache_schema();
Result<MemoryCacheConfig> parse_memory_cache_config(const config::Node& node);

// Sections of `envmon config schema` owned by the cache module.
std::vector<config::SchemaDoc> cache_schema_docs();

}  // namespace envmon::cache
