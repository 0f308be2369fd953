#pragma once

#include <array>
#include <chrono>
#include <string>

#include <curl/curl.h>

#include "net/curl_multi.h"

namespace envmon::net {

// The state libcurl writes into while a request is in flight; it must outlive the transfer.
struct Transfer {
  uint64_t id = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string content_type;
  std::string retry_after;  // raw header value
  std::string method;
  std::string request_body;
  int64_t max_body_bytes = 0;
  bool too_large = false;
  std::chrono::steady_clock::time_point started;
  std::array<char, CURL_ERROR_SIZE> error{};

  ~Transfer();
};

// Sets every option of `t->easy` from the request (the handle was reset before).
bool configure_easy(Transfer& t, const HttpRequest& request);
// The response of a finished transfer: status, body, headers, or the transport error.
HttpResponse finish_response(Transfer& t, CURLcode code);
TransportError map_curl_error(CURLcode code, bool too_large);

}  // namespace envmon::net
