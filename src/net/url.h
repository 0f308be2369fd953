#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace envmon::net {

// Percent-encodes everything except RFC 3986 unreserved characters (query values, path parts).
std::string url_encode(std::string_view text);
// Degrees for a query string: at most 6 decimals (~0.1 m), trailing zeros dropped ("51.5225").
std::string format_coordinate(double degrees);

// The URL with the value of every query parameter named in `secret_params` replaced by
// "REDACTED" (appid=abc -> appid=REDACTED), so the result is safe for logs and dead letters.
std::string redact_query(std::string_view url, const std::vector<std::string>& secret_params);

// A Retry-After header value: delta-seconds ("120") or an HTTP-date (turned into a delay from
// `now`, never negative). Anything else: nullopt.
std::optional<Seconds> parse_retry_after(std::string_view value, Timestamp now);

// curl's error text made safe to log: cut at the first '?' (a query may hold a key) and at any
// "scheme://" (curl may quote a URL); the host alone may remain.
std::string sanitize_error_text(std::string_view text);

}  // namespace envmon::net
