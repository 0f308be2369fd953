#pragma once

#include <string>
#include <string_view>

#include "core/time.h"
#include "model/reading.h"
#include "net/http_types.h"
#include "sources/http/provider.h"
#include "sources/http/provider_json.h"
#include "sources/openweathermap/openweathermap_config.h"

namespace envmon::sources::owm {

// What every reading of one answer shares (provider_id is filled from the body).
using ReadingSeed = http::ReadingSeed;

// An answer that is not a success, by HTTP status first, then the body's `cod` and `message`:
// 401 unauthorized (One Call without subscription: endpoint_unavailable), 404 not_found,
// 400 and other 4xx bad_payload, 429 rate_limited, 5xx and the rest transient.
http::ParseResult classify_error(int status, std::string_view body);

// The `cod` of a body (number or numeric string), 0 when absent; OWM types it inconsistently.
int body_cod(std::string_view body);

// A 200 body of `endpoint`. Unparseable or shapeless bodies are bad_payload with a reject.
http::ParseResult parse_success(Endpoint endpoint, std::string_view body, const ReadingSeed& seed);

}  // namespace envmon::sources::owm
