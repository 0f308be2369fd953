#pragma once

#include <functional>
#include <memory>

#include "api/api_config.h"
#include "cache/cache.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/result.h"
#include "store/store.h"

namespace envmon::api {

// The HTTP server: /health, /ready, /metrics, the /api/v1 endpoints (cached in `cache` under
// keys prefixed "api:") and the dashboard's static files. httplib stays behind this pimpl so only
// api_server.cc pays for its header.
class ApiServer {
 public:
  // `ready` answers /ready (empty: always ready). `clock` (not owned; null = system clock) is
  // "now" for observation queries without `to`, so a simulated demo day queries its own time.
  ApiServer(ApiConfig config, store::Store& store, cache::Cache& cache, MetricsRegistry& metrics,
            std::function<bool()> ready, const Clock* clock = nullptr);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds listen_address:port (port 0 picks a free one) and serves on a background thread.
  // Fails, without serving, when the address cannot be bound (for example the port is taken).
  Status start();
  int port() const;
  std::string host() const;  // for links printed to people
  // Stops accepting, finishes in-flight requests and joins the server thread. Idempotent.
  void stop();
  // Drops every cached API response (call after a store commit); same as cache.invalidate("api:").
  void invalidate();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace envmon::api
