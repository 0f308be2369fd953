#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/app_config.h"
#include "core/result.h"
#include "core/time.h"
#include "model/metric.h"
#include "net/http_types.h"
#include "sources/http/provider.h"

namespace envmon::sources::openmeteo {

// Open-Meteo variable -> metric. Knows the current names (temperature_2m, wind_speed_10m), the
// pre-2023 spellings still echoed back (windspeed_10m, relativehumidity_2m) and the legacy
// `current_weather` names (temperature, windspeed, winddirection). Other variables: nullopt.
std::optional<Metric> metric_for_variable(std::string_view variable);

// Open-Meteo unit string, compared as exact UTF-8 ("°F", "mp/h", "μg/m³" with GREEK MU U+03BC
// or MICRO SIGN U+00B5) -> the ASCII spelling model/units.h accepts ("degF", "mph", "ug/m3").
std::optional<std::string_view> ascii_unit(std::string_view open_meteo_unit);

// "2023-10-25T00:00" (or with ":SS") is wall-clock time of the response's timezone, without
// offset: instant = local - utc_offset_seconds. A text that carries its own offset or 'Z'
// (a mirror) is read as RFC 3339 and the offset argument is ignored.
Result<Timestamp> parse_local_time(std::string_view text, int64_t utc_offset_secs);

// How the provider treats one error answer, from the HTTP status and the body's `reason`.
struct ErrorClass {
  http::Outcome outcome = http::Outcome::bad_payload;
  std::optional<Seconds> retry_after;  // quota resets: next minute, next hour, next UTC midnight
};
ErrorClass classify_error(int status, std::string_view reason, Timestamp now);

struct ParseOptions {
  Timestamp now{};  // ingested_at; series steps after it are forecasts, not observations
  bool skip_future = true;
};

// Reads a whole answer: transport failures and HTTP errors become outcomes; a JSON object (one
// location) or a top-level array (several locations) becomes readings from its `current`,
// `current_weather` and `hourly` blocks. `daily`/`monthly` aggregates are not observations and
// are ignored. Nulls are counted in missing_values; bad entries become rejects naming the field.
http::ParseResult parse_openmeteo_response(const config::StationConfig& station,
                                           const net::HttpResponse& response,
                                           const ParseOptions& options);

}  // namespace envmon::sources::openmeteo
