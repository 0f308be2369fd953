#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::lake::s3 {

enum class Addressing : uint8_t { path, virtual_hosted };

// `lake: {type: s3, s3: {...}}`: where the bucket is and how hard to try. The raw lake's own
// keys (max_part_bytes, flush_interval_ms, ...) and `curated:` sit in the same block.
struct S3Config {
  std::string endpoint = "http://127.0.0.1:18480";
  std::string bucket = "envmon";
  std::string prefix;  // key prefix inside the bucket ("" or "path/")
  std::string region = "us-east-1";
  Addressing addressing = Addressing::path;
  std::string access_key_env = "AWS_ACCESS_KEY_ID";
  std::string secret_key_env = "AWS_SECRET_ACCESS_KEY";
  int64_t multipart_threshold_bytes = 16 << 20;
  int64_t multipart_part_bytes = 8 << 20;
  int64_t list_page_size = 1000;
  int64_t max_attempts = 6;
  int64_t retry_initial_ms = 200;
  int64_t retry_max_ms = 10000;
  int64_t connect_timeout_ms = 5000;
  int64_t request_timeout_ms = 60000;
};

const config::Schema<S3Config>& s3_schema();
std::vector<config::SchemaDoc> s3_lake_schema_docs();
// Parses the S3 keys of `settings` (the raw lake's keys and `curated` are left to their parsers).
Result<S3Config> parse_s3_config(const config::Node& settings);

}  // namespace envmon::lake::s3
