#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::api {

// The `api:` section: the HTTP server, its response cache lifetime and query limits.
struct ApiConfig {
  std::string listen_address = "127.0.0.1";
  int64_t port = 8080;  // 0 picks a free port (tests, benchmarks)
  int64_t threads = 8;
  std::string web_dir;  // empty: found at runtime next to the binary (resolve_web_dir)
  int64_t cache_ttl_ms = 1000;
  int64_t max_points = 10000;
  int64_t max_range_days = 366;
  int64_t keep_alive_max_count = 1000;
  int64_t keep_alive_timeout_secs = 5;
  int64_t read_timeout_secs = 5;
};

const config::Schema<ApiConfig>& api_schema();
Result<ApiConfig> parse_api_config(const config::Node& node);
std::vector<config::SchemaDoc> api_schema_docs();

// The dashboard directory to serve: `configured` when set; otherwise the first existing of
// <exe dir>/../../web/dist, <exe dir>/../web/dist and ./web/dist. Empty when none exists.
std::string resolve_web_dir(const std::string& configured);

}  // namespace envmon::api
