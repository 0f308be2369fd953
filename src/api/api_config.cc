#include "api/api_config.h"

#include <filesystem>
#include <system_error>

namespace envmon::api {

const config::Schema<ApiConfig>& api_schema() {
  static const config::Schema<ApiConfig> schema = [] {
    config::Schema<ApiConfig> s("api");
    s.string("listen_address", &ApiConfig::listen_address, "127.0.0.1",
             "Address the HTTP server binds (0.0.0.0 for every interface)")
        .integer("port", &ApiConfig::port, 8080, "", 0, 65535,
                 "TCP port of the HTTP API and dashboard; 0 picks a free port")
        .integer("threads", &ApiConfig::threads, 8, "threads", 1, 1024,
                 "Worker threads serving requests (one per open keep-alive connection)")
        .string("web_dir", &ApiConfig::web_dir, "",
                "Directory of the built dashboard (web/dist); empty finds it next to the binary")
        .integer("cache_ttl_ms", &ApiConfig::cache_ttl_ms, 1000, "ms", 0, 3'600'000,
                 "How long a GET /api response is served from the response cache; 0 disables")
        .integer("max_points", &ApiConfig::max_points, 10000, "points", 10, 10'000'000,
                 "Most points one observations query returns; larger queries must use a bucket")
        .integer("max_range_days", &ApiConfig::max_range_days, 366, "days", 1, 36600,
                 "Longest from..to range of one observations query")
        .integer("keep_alive_max_count", &ApiConfig::keep_alive_max_count, 1000, "requests", 1,
                 1'000'000, "Requests served on one keep-alive connection before it is closed")
        .integer("keep_alive_timeout_secs", &ApiConfig::keep_alive_timeout_secs, 5, "s", 1, 3600,
                 "Idle time after which a keep-alive connection is closed")
        .integer("read_timeout_secs", &ApiConfig::read_timeout_secs, 5, "s", 1, 3600,
                 "Time allowed to receive one request");
    return s;
  }();
  return schema;
}

Result<ApiConfig> parse_api_config(const config::Node& node) {
  ApiConfig out;
  Status s = config::fill(node, api_schema(), out);
  if (!s.ok()) return s.error();
  return out;
}

std::vector<config::SchemaDoc> api_schema_docs() {
  return {config::SchemaDoc{"api", "HTTP API (/api/v1), health, Prometheus /metrics and the dashboard",
                            api_schema().specs()}};
}

std::string resolve_web_dir(const std::string& configured) {
  namespace fs = std::filesystem;
  if (!configured.empty()) return configured;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / ".." / "web" / "dist");
    candidates.push_back(exe.parent_path() / ".." / "web" / "dist");
  }
  candidates.push_back(fs::path("web") / "dist");
  for (const auto& dir : candidates) {
    if (fs::is_directory(dir, ec)) return fs::weakly_canonical(dir, ec).string();
  }
  return "";
}

}  // namespace envmon::api
