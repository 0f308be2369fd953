#include "net/curl_transfer.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "net/url.h"

namespace envmon::net {

namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (static_cast<int64_t>(t->body.size() + n) > t->max_body_bytes) {
    t->too_large = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

// The trimmed value of `line` when it is header `name` (case-insensitive), else nullopt.
std::optional<std::string> header_value(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return std::nullopt;
  const bool same = std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  if (!same) return std::nullopt;
  std::string_view v = line.substr(name.size() + 1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front())) != 0)
    v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())) != 0)
    v.remove_suffix(1);
  return std::string(v);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {  // a new response (after a redirect or 100-continue)
    t->retry_after.clear();
    t->content_type.clear();
  } else if (auto v = header_value(line, "retry-after")) {
    t->retry_after = std::move(*v);
  } else if (auto ct = header_value(line, "content-type")) {
    t->content_type = std::move(*ct);
  }
  return n;
}

void set_method(Transfer& t, const HttpRequest& request) {
  if (request.method == "GET") return;
  if (request.method == "POST") {
    curl_easy_setopt(t.easy, CURLOPT_POST, 1L);
  } else {
    curl_easy_setopt(t.easy, CURLOPT_CUSTOMREQUEST, t.method.c_str());
  }
  if (!t.request_body.empty() || request.method == "POST") {
    curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t.request_body.size()));
    curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, t.request_body.c_str());
  }
}

void set_limits(Transfer& t, const HttpRequest& request) {
  curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  curl_easy_setopt(t.easy, CURLOPT_LOW_SPEED_LIMIT,
                   static_cast<long>(request.low_speed_bytes_per_sec));
  curl_easy_setopt(t.easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.low_speed_secs));
  curl_easy_setopt(t.easy, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(request.max_body_bytes));
}

}  // namespace

Transfer::~Transfer() {
  if (headers != nullptr) curl_slist_free_all(headers);
}

bool configure_easy(Transfer& t, const HttpRequest& request) {
  CURL* e = t.easy;
  t.method = request.method;
  t.request_body = request.body;
  t.max_body_bytes = request.max_body_bytes;
  for (const auto& [name, value] : request.headers) {
    t.headers = curl_slist_append(t.headers, (name + ": " + value).c_str());
  }
  bool ok = curl_easy_setopt(e, CURLOPT_URL, request.url.c_str()) == CURLE_OK;
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error.data());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_USERAGENT, "envmon/1");
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // providers answer directly; no key hops hosts
  if (t.headers != nullptr) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  set_limits(t, request);
  set_method(t, request);
  return ok;
}

TransportError map_curl_error(CURLcode code, bool too_large) {
  if (too_large) return TransportError::too_large;
  switch (code) {
    case CURLE_OK:
      return TransportError::none;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::dns;
    case CURLE_COULDNT_CONNECT:
      return TransportError::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::timeout;
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return TransportError::reset;
    case CURLE_FILESIZE_EXCEEDED:
      return TransportError::too_large;
    default:
      return TransportError::other;
  }
}

HttpResponse finish_response(Transfer& t, CURLcode code) {
  HttpResponse r;
  r.elapsed = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t.started);
  r.transport = map_curl_error(code, t.too_large);
  if (r.transport != TransportError::none) {
    std::string text = curl_easy_strerror(code);
    const std::string detail = sanitize_error_text(t.error.data());
    if (!detail.empty()) text += ": " + detail;
    r.transport_message = std::move(text);
    return r;
  }
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  r.body = std::move(t.body);
  r.content_type = std::move(t.content_type);
  if (!t.retry_after.empty()) {
    r.retry_after = parse_retry_after(
        t.retry_after, std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
  }
  return r;
}

}  // namespace envmon::net
