#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "net/http_types.h"

namespace envmon::net {

// Percent-encodes everything except RFC 3986 unreserved characters (query values, path parts).
std::string url_encode(std::string_view text);
// Degrees for a query string: at most 6 decimals (~0.1 m), trailing zeros dropped ("51.5225").
std::string format_coordinate(double degrees);

// The URL with the value of every query parameter named in `secret_params` replaced by
// "REDACTED" (appid=abc -> appid=REDACTED), so the result is safe for logs and dead letters.
// Names match case-insensitively and after percent-decoding (servers accept APPID and app%69d
// alike), '&' and ';' both separate parameters, and user:password@ is redacted too: erring
// towards over-redaction is harmless, a leaked key is not.
std::string redact_query(std::string_view url, const std::vector<std::string>& secret_params);

// The longest pause a Retry-After may ask for. A larger (or garbage-sized) value is clamped, so
// one bad header can neither overflow the millisecond clock nor silence a source for weeks; a
// provider that really means longer answers 429 again after the cap.
inline constexpr Seconds kMaxRetryAfter{86400};

// A Retry-After header value: delta-seconds ("120") or an HTTP-date (turned into a delay from
// `now`, never negative), clamped to kMaxRetryAfter. Anything else: nullopt.
std::optional<Seconds> parse_retry_after(std::string_view value, Timestamp now);

// curl's error text made safe to log: cut at the first '?' (a query may hold a key) and at any
// "scheme://" (curl may quote a URL); the host alone may remain.
std::string sanitize_error_text(std::string_view text);

// A GET of `url` with the secret appended as query parameter `secret_param` (when `secret` is
// not empty) and JSON accepted. `redacted_url` comes from redact_query, so neither the secret
// nor credentials in the base URL (user:pw@) can reach logs or dead letters.
HttpRequest make_get(const std::string& url, std::string_view secret_param = {},
                     std::string_view secret = {});

}  // namespace envmon::net
