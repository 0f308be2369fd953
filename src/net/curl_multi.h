#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "net/http_types.h"

namespace envmon::net {

struct HttpClientConfig {
  int64_t max_host_connections = 32;  // CURLMOPT_MAX_HOST_CONNECTIONS; more requests queue in curl
  int64_t max_connects = 64;          // CURLMOPT_MAXCONNECTS: idle connections kept for reuse
};

struct Completion {
  uint64_t id = 0;  // as returned by submit()
  HttpResponse response;
};

struct Transfer;  // one request on the wire (curl_transfer.h)

// A non-blocking HTTP client on libcurl's multi interface: thousands of requests in flight from
// one thread, easy handles pooled and reused, connections kept alive per host. Not thread-safe:
// one owner thread calls submit() and perform().
class CurlMulti {
 public:
  explicit CurlMulti(HttpClientConfig config = {});
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Queues a request; it starts on the next perform(). Returns its id (never 0).
  uint64_t submit(HttpRequest request);
  // Waits at most `max_wait` for socket activity, drives transfers and returns those finished.
  std::vector<Completion> perform(Millis max_wait);
  size_t in_flight() const { return transfers_.size(); }
  // Drops every request in flight without completing it (shutdown).
  void abort_all();

 private:
  void collect(std::vector<Completion>& out);
  void* acquire_handle();
  void release(std::unique_ptr<Transfer> t);

  void* multi_;  // CURLM*, kept opaque so users need not include curl
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Transfer>> transfers_;
  std::vector<void*> idle_handles_;  // CURL* reset and ready for reuse
  std::vector<Completion> failed_at_submit_;
};

}  // namespace envmon::net
