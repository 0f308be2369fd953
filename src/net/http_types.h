#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace envmon::net {

// One GET (or POST) to send. `url` may carry a secret (an API key in the query string), so it is
// never logged: everything that leaves the client for people uses `redacted_url`.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::string redacted_url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Millis connect_timeout{5000};
  Millis total_timeout{20000};
  // Abort a response that trickles in below this rate for `low_speed_secs` (slow-drip servers).
  int64_t low_speed_bytes_per_sec = 10;
  int64_t low_speed_secs = 10;
  int64_t max_body_bytes = 16 * 1024 * 1024;  // larger bodies are cut off and reported
};

// Why a request produced no HTTP status, when it did not.
enum class TransportError : uint8_t {
  none,
  dns,
  connect,
  timeout,    // connect or total timeout, or the low-speed limit
  reset,      // connection reset or closed before a complete response (includes truncation)
  too_large,  // body exceeded max_body_bytes
  other,
};
std::string_view transport_error_name(TransportError e);

struct HttpResponse {
  int status = 0;  // 0 when transport != none
  std::string body;
  std::string content_type;
  // From a Retry-After header, either delta-seconds or an HTTP-date turned into a delay.
  std::optional<Seconds> retry_after;
  TransportError transport = TransportError::none;
  std::string transport_message;  // curl's text, free of the URL
  Millis elapsed{0};
};

}  // namespace envmon::net
