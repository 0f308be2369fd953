#include "net/curl_multi.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "net/curl_transfer.h"

namespace envmon::net {

namespace {

CURLM* as_multi(void* p) {
  return static_cast<CURLM*>(p);
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");  // start-up: nothing works without it
    }
  });
}

Completion failed(uint64_t id, std::string message) {
  Completion c;
  c.id = id;
  c.response.transport = TransportError::other;
  c.response.transport_message = std::move(message);
  return c;
}

}  // namespace

CurlMulti::CurlMulti(HttpClientConfig config) {
  global_init();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  curl_multi_setopt(as_multi(multi_), CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(config.max_host_connections));
  curl_multi_setopt(as_multi(multi_), CURLMOPT_MAXCONNECTS, static_cast<long>(config.max_connects));
}

CurlMulti::~CurlMulti() {
  abort_all();
  for (void* e : idle_handles_)
    curl_easy_cleanup(static_cast<CURL*>(e));
  curl_multi_cleanup(as_multi(multi_));
}

void* CurlMulti::acquire_handle() {
  if (idle_handles_.empty()) return curl_easy_init();
  void* e = idle_handles_.back();
  idle_handles_.pop_back();
  return e;
}

void CurlMulti::release(std::unique_ptr<Transfer> t) {
  curl_multi_remove_handle(as_multi(multi_), t->easy);
  curl_easy_reset(t->easy);  // keeps the handle's connection and DNS caches for reuse
  idle_handles_.push_back(t->easy);
}

uint64_t CurlMulti::submit(HttpRequest request) {
  const uint64_t id = next_id_++;
  auto t = std::make_unique<Transfer>();
  t->id = id;
  t->easy = static_cast<CURL*>(acquire_handle());
  if (t->easy == nullptr) {
    failed_at_submit_.push_back(failed(id, "curl_easy_init failed"));
    return id;
  }
  t->started = std::chrono::steady_clock::now();
  const bool configured = configure_easy(*t, request);
  if (!configured || curl_multi_add_handle(as_multi(multi_), t->easy) != CURLM_OK) {
    failed_at_submit_.push_back(
        failed(id, configured ? "curl_multi_add_handle failed" : "bad URL"));
    curl_easy_reset(t->easy);
    idle_handles_.push_back(t->easy);
    return id;
  }
  transfers_.emplace(id, std::move(t));
  return id;
}

std::vector<Completion> CurlMulti::perform(Millis max_wait) {
  std::vector<Completion> out = std::move(failed_at_submit_);
  failed_at_submit_.clear();
  if (transfers_.empty()) return out;
  int running = 0;
  curl_multi_perform(as_multi(multi_), &running);
  collect(out);
  if (out.empty() && !transfers_.empty()) {
    const int wait_ms = static_cast<int>(std::clamp<int64_t>(max_wait.count(), 0, 60000));
    curl_multi_poll(as_multi(multi_), nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(as_multi(multi_), &running);
    collect(out);
  }
  return out;
}

void CurlMulti::collect(std::vector<Completion>& out) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(as_multi(multi_), &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* raw = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
    const CURLcode code = msg->data.result;  // read before the handle is removed
    auto it = transfers_.find(raw->id);
    Completion c;
    c.id = raw->id;
    c.response = finish_response(*raw, code);
    out.push_back(std::move(c));
    std::unique_ptr<Transfer> owned = std::move(it->second);
    transfers_.erase(it);
    release(std::move(owned));
  }
}

void CurlMulti::abort_all() {
  for (auto& [id, t] : transfers_)
    release(std::move(t));
  transfers_.clear();
  failed_at_submit_.clear();
}

}  // namespace envmon::net
