#pragma once

#include <string>
#include <string_view>

#include "api/api_config.h"
#include "api/api_error.h"
#include "api/query_params.h"
#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"

namespace envmon::api {

inline constexpr std::string_view kJsonType = "application/json";

// What a handler answers; the server turns it into an HTTP response (and caches 200s).
struct HttpResult {
  int status = 200;
  std::string body;
};

HttpResult error_result(const ApiError& error);

// The /api/v1 endpoints as plain functions of their inputs, with no HTTP library in sight so
// they are cheap to compile and to test. Store failures are logged and answered as a bare 500.
class ApiHandlers {
 public:
  ApiHandlers(const ApiConfig& config, store::Store& store, const Clock& clock, Logger log);

  HttpResult catalogue() const { return {200, catalogue_}; }
  HttpResult stations();
  HttpResult latest(const std::string& station);
  HttpResult observations(const QueryParams& params);
  // ?station=&from=&to=&limit= (analytics_handlers.cc): stored anomalies, newest first, each
  // with its score and explanation.
  HttpResult anomalies(const QueryParams& params);
  // Station cluster labels of the newest clustering model (envmon train clusters).
  HttpResult clusters();
  // ?metric=aqi_us|aqi_in (default aqi_us)&limit=1..100 (default 10): stations ranked by
  // their newest hourly AQI, highest first.
  HttpResult top_aqi(const QueryParams& params);

 private:
  // true/false for a known/unknown station; an error when the store fails.
  ApiResult<bool> station_exists(const std::string& id);
  HttpResult store_failure(std::string_view what, const Error& error) const;

  const ApiConfig& config_;
  store::Store& store_;
  const Clock& clock_;
  Logger log_;
  std::string catalogue_;  // rendered once: the catalogue is compiled in
};

}  // namespace envmon::api
