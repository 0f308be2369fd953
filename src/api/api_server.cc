#include "api/api_server.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <string_view>
#include <thread>

#include <httplib.h>

#include "api/api_handlers.h"
#include "api/http_metrics.h"
#include "api/json_render.h"
#include "api/static_files.h"

namespace envmon::api {

namespace {

constexpr std::string_view kLatestPrefix = "/api/v1/stations/";
constexpr std::string_view kLatestSuffix = "/latest";
constexpr const char* kMetricsType = "text/plain; version=0.0.4";

// The station id of /api/v1/stations/{id}/latest, or empty when `path` is not that route.
std::string_view latest_station(std::string_view path) {
  if (!path.starts_with(kLatestPrefix) || !path.ends_with(kLatestSuffix)) return {};
  if (path.size() <= kLatestPrefix.size() + kLatestSuffix.size()) return {};
  const auto id = path.substr(kLatestPrefix.size(),
                              path.size() - kLatestPrefix.size() - kLatestSuffix.size());
  return id.find('/') == std::string_view::npos ? id : std::string_view{};
}

Route classify(const httplib::Request& req) {
  if (req.method != "GET" && req.method != "HEAD") return Route::method_not_allowed;
  const std::string_view p = req.path;
  if (p == "/health") return Route::health;
  if (p == "/ready") return Route::ready;
  if (p == "/metrics") return Route::metrics;
  if (!p.starts_with("/api/") && p != "/api") return Route::static_files;
  if (p == "/api/v1/metrics") return Route::api_metrics;
  if (p == "/api/v1/stations") return Route::api_stations;
  if (p == "/api/v1/observations") return Route::api_observations;
  if (p == "/api/v1/anomalies") return Route::api_anomalies;
  if (p == "/api/v1/clusters") return Route::api_clusters;
  if (p == "/api/v1/aqi/top") return Route::api_top_aqi;
  if (!latest_station(p).empty()) return Route::api_latest;
  return Route::api_unknown;
}

void set_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, kJsonType.data());
}

std::string reason_for(int status) {
  switch (status) {
    case 400: return "malformed HTTP request";
    case 404: return "not found";
    case 413: return "request body too large";
    case 414: return "request URI too long (limit 8192 bytes)";
    case 416: return "range not satisfiable";
    case 431: return "request headers too large";
    default: return status >= 500 ? "internal error" : "bad request";
  }
}

QueryParams to_query_params(const httplib::Params& params) {
  QueryParams out;
  out.reserve(params.size());
  for (const auto& [k, v] : params) out.emplace_back(k, v);
  return out;
}

}  // namespace

class ApiServer::Impl {
 public:
  Impl(ApiConfig config, store::Store& store, cache::Cache& cache, MetricsRegistry& metrics,
       std::function<bool()> ready, const Clock* clock)
      : config_(std::move(config)),
        clock_(clock != nullptr ? clock : &system_clock_),
        log_("api:http:api"),
        handlers_(config_, store, *clock_, log_),
        cache_(cache),
        registry_(metrics),
        http_metrics_(metrics),
        ready_(std::move(ready)),
        static_files_(resolve_web_dir(config_.web_dir)),
        cache_control_("public, max-age=" + std::to_string((config_.cache_ttl_ms + 999) / 1000)) {}

  ~Impl() { stop(); }

  Status start();
  void stop();
  int port() const { return port_; }
  // The address to print for people: a wildcard bind is reachable on loopback.
  std::string host() const {
    const auto& a = config_.listen_address;
    return a == "0.0.0.0" || a == "::" ? std::string("127.0.0.1") : a;
  }
  void invalidate() { cache_.invalidate("api:"); }

 private:
  void configure();
  void configure_transport();
  void configure_errors();
  void handle_get(const httplib::Request& req, httplib::Response& res, Route route);
  void handle_api(const httplib::Request& req, httplib::Response& res, Route route);
  HttpResult compute_api(const httplib::Request& req, Route route);
  void handle_static(const httplib::Request& req, httplib::Response& res);
  void access_log(const httplib::Request& req, const httplib::Response& res);

  ApiConfig config_;
  SystemClock system_clock_;
  const Clock* clock_;
  Logger log_;
  ApiHandlers handlers_;
  cache::Cache& cache_;
  MetricsRegistry& registry_;
  HttpMetrics http_metrics_;
  std::function<bool()> ready_;
  StaticFiles static_files_;
  std::string cache_control_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> running_{false};
};

void ApiServer::Impl::configure_transport() {
  const auto threads = static_cast<size_t>(config_.threads);
  // httplib takes ownership of the queue it is handed and deletes it itself.
  server_.new_task_queue = [threads] { return std::make_unique<httplib::ThreadPool>(threads).release(); };
  server_.set_keep_alive_max_count(static_cast<size_t>(config_.keep_alive_max_count));
  server_.set_keep_alive_timeout(config_.keep_alive_timeout_secs);
  server_.set_read_timeout(config_.read_timeout_secs);
  server_.set_tcp_nodelay(true);
  server_.set_payload_max_length(64 * 1024);  // the API takes no request bodies
  // Only SO_REUSEADDR: httplib's default adds SO_REUSEPORT, which would let a second envmon
  // share (and silently split) a port that is already taken.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
}

void ApiServer::Impl::configure() {
  configure_transport();
  configure_errors();
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const Route route = classify(req);
    if (route == Route::method_not_allowed) return httplib::Server::HandlerResponse::Unhandled;
    const auto start = std::chrono::steady_clock::now();
    handle_get(req, res, route);
    http_metrics_.observe_latency(
        route, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return httplib::Server::HandlerResponse::Handled;
  });
  const auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    set_json(res, 405,
             render_error({405, "method_not_allowed", "method " + req.method + " is not allowed; use GET", {}}));
  };
  server_.Post(".*", not_allowed).Put(".*", not_allowed).Patch(".*", not_allowed);
  server_.Delete(".*", not_allowed).Options(".*", not_allowed);
  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    http_metrics_.count(classify(req), res.status);
    access_log(req, res);
  });
}

void ApiServer::Impl::configure_errors() {
  // Errors httplib produces on its own (414 URI too long, 400 malformed request, ...) get the
  // same JSON shape as ours; responses that already carry a body are left alone.
  const httplib::Server::HandlerWithResponse on_error = [](const httplib::Request&,
                                                          httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string code = error_code_for_status(res.status);
    set_json(res, res.status, render_error({res.status, code, reason_for(res.status), {}}));
    return httplib::Server::HandlerResponse::Handled;
  };
  server_.set_error_handler(on_error);
  server_.set_exception_handler([this](const httplib::Request& req, httplib::Response& res,
                                       std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_.error("request failed", {{"path", req.path}, {"error", what}});
    set_json(res, 500, render_error(ApiError::internal()));
  });
}

void ApiServer::Impl::access_log(const httplib::Request& req, const httplib::Response& res) {
  if (log_level() > LogLevel::debug) return;
  log_.debug("request", {{"method", req.method},
                         {"path", req.path},
                         {"status", res.status},
                         {"bytes", res.body.size()},
                         {"remote", req.remote_addr}});
}

void ApiServer::Impl::handle_get(const httplib::Request& req, httplib::Response& res, Route route) {
  switch (route) {
    case Route::health:
      set_json(res, 200, R"({"status":"ok"})");
      return;
    case Route::ready: {
      const bool ready = !ready_ || ready_();
      set_json(res, ready ? 200 : 503, ready ? R"({"status":"ready"})" : R"({"status":"starting"})");
      return;
    }
    case Route::metrics:
      res.status = 200;
      res.set_content(registry_.serialize_text(), kMetricsType);
      return;
    case Route::static_files:
      handle_static(req, res);
      return;
    default:
      handle_api(req, res, route);
      return;
  }
}

void ApiServer::Impl::handle_api(const httplib::Request& req, httplib::Response& res, Route route) {
  const bool cacheable = config_.cache_ttl_ms > 0 && route != Route::api_unknown;
  // Only observations reads the query string; other routes ignore it, so it stays out of their key.
  std::string key;
  if (cacheable) {
    key.reserve(4 + req.target.size());
    key.append("api:").append(route == Route::api_observations || route == Route::api_top_aqi ? req.target : req.path);
    // Anomalies read their query string too; it joins the key.
    if (route == Route::api_anomalies) key.append(req.target.substr(std::min(req.target.find('?'), req.target.size())));
    if (auto hit = cache_.get(key)) {
      res.status = 200;
      res.set_content(std::move(*hit), kJsonType.data());
      res.set_header("X-Cache", "hit");
      res.set_header("Cache-Control", cache_control_);
      return;
    }
  }
  HttpResult result = compute_api(req, route);
  const bool store = cacheable && result.status == 200;
  if (store) cache_.put(key, result.body, Millis(config_.cache_ttl_ms));
  set_json(res, result.status, result.body);
  res.set_header("X-Cache", "miss");
  res.set_header("Cache-Control", store ? cache_control_.c_str() : "no-store");
}

HttpResult ApiServer::Impl::compute_api(const httplib::Request& req, Route route) {
  switch (route) {
    case Route::api_metrics: return handlers_.catalogue();
    case Route::api_stations: return handlers_.stations();
    case Route::api_latest: return handlers_.latest(std::string(latest_station(req.path)));
    case Route::api_observations: return handlers_.observations(to_query_params(req.params));
    case Route::api_anomalies: return handlers_.anomalies(to_query_params(req.params));
    case Route::api_clusters: return handlers_.clusters();
    case Route::api_top_aqi: return handlers_.top_aqi(to_query_params(req.params));
    default:
      return error_result(ApiError::not_found("no API endpoint at " + req.path +
                                              "; see /api/v1/metrics, /api/v1/stations, "
                                              "/api/v1/stations/{id}/latest, /api/v1/observations"));
  }
}

void ApiServer::Impl::handle_static(const httplib::Request& req, httplib::Response& res) {
  if (!static_files_.available() && (req.path == "/" || req.path == "/index.html")) {
    res.status = 200;
    res.set_content(not_built_page(), "text/html; charset=utf-8");
    return;
  }
  auto file = static_files_.lookup(req.path);
  if (!file) {
    set_json(res, 404, render_error(ApiError::not_found("no file at " + req.path)));
    return;
  }
  res.status = 200;
  res.set_header("Cache-Control", std::string(file->cache_control));
  res.set_content(std::move(file->body), std::string(file->content_type));
}

Status ApiServer::Impl::start() {
  if (running_) return Error(Errc::invalid_argument, "API server already started");
  configure();
  if (config_.port == 0) {
    port_ = server_.bind_to_any_port(config_.listen_address);
  } else if (server_.bind_to_port(config_.listen_address, static_cast<int>(config_.port))) {
    port_ = static_cast<int>(config_.port);
  } else {
    port_ = -1;
  }
  if (port_ <= 0) {
    return Error(Errc::io, "cannot listen on " + config_.listen_address + ":" +
                               std::to_string(config_.port) +
                               ": the port is in use or the address is not local");
  }
  running_ = true;
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  log_.info("listening", {{"address", config_.listen_address},
                          {"port", port_},
                          {"web_dir", static_files_.available() ? static_files_.dir() : "(not built)"}});
  return ok_status();
}

void ApiServer::Impl::stop() {
  if (!running_.exchange(false)) return;
  // httplib's stop() only shuts the socket once listen has begun; stopping earlier would leave
  // the listen thread running forever, so wait (briefly) for it to start.
  for (int i = 0; i < 200 && thread_.joinable() && !server_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

ApiServer::ApiServer(ApiConfig config, store::Store& store, cache::Cache& cache,
                     MetricsRegistry& metrics, std::function<bool()> ready, const Clock* clock)
    : impl_(std::make_unique<Impl>(std::move(config), store, cache, metrics, std::move(ready), clock)) {}

ApiServer::~ApiServer() = default;
Status ApiServer::start() { return impl_->start(); }
int ApiServer::port() const { return impl_->port(); }
std::string ApiServer::host() const { return impl_->host(); }
void ApiServer::stop() { impl_->stop(); }
void ApiServer::invalidate() { impl_->invalidate(); }

}  // namespace envmon::api
