#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/app_config.h"
#include "net/http_types.h"
#include "sources/http/provider.h"
#include "sources/waqi/waqi_config.h"

namespace envmon::sources::waqi {

// WAQI (aqicn.org) as a request builder plus a parser: one "feed" task per station, looked up
// by geo, city name or station uid (see Query); the token goes in `token=` and is redacted.
class WaqiProvider final : public http::Provider {
 public:
  // `source_id` is the configured source name, stamped on every reading.
  WaqiProvider(WaqiConfig config, std::string token, std::string source_id = "waqi");

  std::string_view name() const override { return "waqi"; }
  std::vector<http::FetchTask> tasks(
      const std::vector<config::StationConfig>& stations) const override;
  net::HttpRequest build(const http::FetchTask& task,
                         const config::StationConfig& station) const override;
  http::ParseResult parse(const http::FetchTask& task, const config::StationConfig& station,
                          const net::HttpResponse& response, Timestamp now) const override;

  // Station discovery (answers go to parse_search / parse_map_bounds in waqi_discovery.h).
  net::HttpRequest search_request(std::string_view keyword) const;
  net::HttpRequest map_bounds_request(double lat1, double lon1, double lat2, double lon2) const;

  const WaqiConfig& config() const { return config_; }

 private:
  net::HttpRequest request(const std::string& path_and_query) const;

  WaqiConfig config_;
  std::string token_;
  std::string source_id_;
};

}  // namespace envmon::sources::waqi
