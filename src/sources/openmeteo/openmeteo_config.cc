#include "sources/openmeteo/openmeteo_config.h"

#include <array>
#include <utility>

#include "sources/http/provider_factory.h"

namespace envmon::sources::openmeteo {

namespace {

constexpr std::array<std::pair<std::string_view, Endpoint>, 2> kEndpoints{{
    {"forecast", Endpoint::forecast},
    {"air_quality", Endpoint::air_quality},
}};
const std::vector<std::string> kDefaultEndpointNames{"forecast", "air_quality"};

}  // namespace

std::string_view endpoint_name(Endpoint e) {
  for (const auto& [name, value] : kEndpoints) {
    if (value == e) return name;
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

Result<OpenMeteoConfig> parse_openmeteo_config(const config::Node& block,
                                               const std::vector<std::string>& passthrough) {
  OpenMeteoConfig out;
  std::vector<Error> errors;
  for (Status s :
       {config::fill(block, openmeteo_schema(), out, passthrough),
        http::check_base_url(block, "forecast_base_url", out.forecast_base_url),
        http::check_base_url(block, "air_quality_base_url", out.air_quality_base_url),
        http::check_base_url(block, "archive_base_url", out.archive_base_url),
        http::parse_name_list<Endpoint>(
            block, "endpoints", out.endpoints.empty() ? kDefaultEndpointNames : out.endpoints,
            kEndpoints, out.endpoint_list)}) {
    if (!s.ok()) errors.push_back(s.error());
  }
  ENVMON_TRY(config::join_errors(errors));
  return out;
}

}  // namespace envmon::sources::openmeteo
