#pragma once

#include <optional>
#include <string>

#include "core/time.h"

namespace envmon::cache {

// The API's response cache: memory (embedded) or Redis (production). Entries expire by TTL and
// are tagged with a generation so a store write can invalidate everything it could affect.
class Cache {
 public:
  virtual ~Cache() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void put(const std::string& key, const std::string& value, Millis ttl) = 0;
  // Drops every entry whose key starts with `prefix` ("" drops all).
  virtual void invalidate(const std::string& prefix) = 0;
};

}  // namespace envmon::cache
