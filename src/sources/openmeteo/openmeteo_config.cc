#include "sources/openmeteo/openmeteo_config.h"

#include <algorithm>

namespace envmon::sources::openmeteo {

std::string_view endpoint_name(Endpoint e) {
  switch (e) {
    case Endpoint::forecast:
      return "forecast";
    case Endpoint::air_quality:
      return "air_quality";
  }
  return "?";
}

const config::Schema<OpenMeteoConfig>& openmeteo_schema() {
  static const config::Schema<OpenMeteoConfig> schema = [] {
    const OpenMeteoConfig d;
    config::Schema<OpenMeteoConfig> s("sources[].openmeteo");
    s.string("forecast_base_url", &OpenMeteoConfig::forecast_base_url, d.forecast_base_url,
             "Base URL of the forecast API (/v1/forecast); a mirror or customer-api host")
        .string("air_quality_base_url", &OpenMeteoConfig::air_quality_base_url,
                d.air_quality_base_url, "Base URL of the air-quality API (/v1/air-quality)")
        .string("archive_base_url", &OpenMeteoConfig::archive_base_url, d.archive_base_url,
                "Base URL of the historical API (/v1/archive), used by backfill")
        .string("api_key_env", &OpenMeteoConfig::api_key_env, d.api_key_env,
                "Environment variable holding a commercial API key (sent as &apikey=, redacted "
                "in logs); unset or empty: free tier without key")
        .string_list("endpoints", &OpenMeteoConfig::endpoints,
                     "Endpoints polled per station: forecast, air_quality (empty: both)")
        .integer("archive_chunk_days", &OpenMeteoConfig::archive_chunk_days, d.archive_chunk_days,
                 "d", 1, 92,
                 "Days per archive request in a backfill; over 14 days a call weighs more");
    return s;
  }();
  return schema;
}

http::PollerDefaults openmeteo_poller_defaults() {
  http::PollerDefaults d;
  d.values.limit_per_minute = 600;
  d.values.limit_per_hour = 5000;
  d.values.limit_per_day = 10000;
  d.values.refresh_floor_secs = 900;  // current data has a 15-minute step
  return d;
}

namespace {

void trim_trailing_slashes(std::string& url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
}

bool is_http_url(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

void check_urls(const config::Node& block, OpenMeteoConfig& out, std::vector<Error>& errors) {
  for (auto [key, url] : {std::pair{"forecast_base_url", &out.forecast_base_url},
                          std::pair{"air_quality_base_url", &out.air_quality_base_url},
                          std::pair{"archive_base_url", &out.archive_base_url}}) {
    trim_trailing_slashes(*url);
    if (!is_http_url(*url)) {
      errors.push_back(
          block.child(key).error(Errc::config_bad_value, "expected an http:// or https:// URL"));
    }
  }
}

void resolve_endpoints(const config::Node& block, OpenMeteoConfig& out,
                       std::vector<Error>& errors) {
  out.endpoint_list.clear();
  if (out.endpoints.empty()) {
    out.endpoint_list = {Endpoint::forecast, Endpoint::air_quality};
    return;
  }
  for (const auto& name : out.endpoints) {
    Endpoint e;
    if (name == "forecast") {
      e = Endpoint::forecast;
    } else if (name == "air_quality") {
      e = Endpoint::air_quality;
    } else {
      errors.push_back(block.child("endpoints")
                           .error(Errc::config_bad_value,
                                  "unknown endpoint '" + name + "'; valid: forecast, air_quality"));
      continue;
    }
    if (std::find(out.endpoint_list.begin(), out.endpoint_list.end(), e) ==
        out.endpoint_list.end()) {
      out.endpoint_list.push_back(e);
    }
  }
}

}  // namespace

Result<OpenMeteoConfig> parse_openmeteo_config(const config::Node& block,
                                               const std::vector<std::string>& passthrough) {
  OpenMeteoConfig out;
  std::vector<Error> errors;
  if (Status s = config::fill(block, openmeteo_schema(), out, passthrough); !s.ok()) {
    errors.push_back(s.error());
  }
  check_urls(block, out, errors);
  resolve_endpoints(block, out, errors);
  if (errors.empty()) return out;
  std::string message = errors.front().message();
  for (size_t i = 1; i < errors.size(); ++i)
    message += "\n" + errors[i].message();
  return Error(errors.front().code(), message);
}

}  // namespace envmon::sources::openmeteo
