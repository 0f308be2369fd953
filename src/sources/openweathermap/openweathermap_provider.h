#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/app_config.h"
#include "net/http_types.h"
#include "sources/http/provider.h"
#include "sources/openweathermap/openweathermap_config.h"

namespace envmon::sources::owm {

// OpenWeatherMap as a request builder plus a parser. Requests go by the station's lat/lon with
// the default `standard` units (Kelvin, m/s, hPa, %, mm) and never with `mode` (XML errors).
// Task endpoints are the names of `Endpoint` ("weather", "air_pollution", ...).
class OpenWeatherMapProvider final : public http::Provider {
 public:
  // `source_id` is the configured source name, stamped on every reading.
  OpenWeatherMapProvider(OpenWeatherMapConfig config, std::string api_key,
                         std::string source_id = "openweathermap");

  std::string_view name() const override { return "openweathermap"; }
  std::vector<http::QuotaSpec> group_quotas() const override;
  std::vector<http::FetchTask> tasks(
      const std::vector<config::StationConfig>& stations) const override;
  net::HttpRequest build(const http::FetchTask& task,
                         const config::StationConfig& station) const override;
  http::ParseResult parse(const http::FetchTask& task, const config::StationConfig& station,
                          const net::HttpResponse& response, Timestamp now) const override;

 private:
  OpenWeatherMapConfig config_;
  std::string api_key_;
  std::string source_id_;
};

// How often each endpoint's data changes at the provider (the fastest useful poll).
Seconds endpoint_min_interval(Endpoint e);

}  // namespace envmon::sources::owm
