#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace envmon::lake {

struct ObjectInfo {
  std::string key;
  int64_t size = 0;
  std::string sha256;  // hex, when known
};

// Object storage as the lake sees it: a local directory (embedded) or S3 (production).
// Keys are '/'-separated; writes are whole objects (S3 uploads large ones in parts); list
// returns every key under the prefix in key order (S3 pages through ListObjectsV2).
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Writes `data` at `key`. With if_absent, an existing key is an error (lake_exists): the raw
  // lake is write-once. Returns the object's SHA-256 (hex).
  virtual Result<std::string> put(const std::string& key, const std::string& data, bool if_absent) = 0;
  virtual Result<std::string> get(const std::string& key) = 0;
  virtual Result<std::vector<ObjectInfo>> list(const std::string& prefix) = 0;
  virtual Result<bool> exists(const std::string& key) = 0;
  // Deletes `key`; a missing key is not an error (compaction retries deletes).
  virtual Status remove(const std::string& key) = 0;
};

}  // namespace envmon::lake
