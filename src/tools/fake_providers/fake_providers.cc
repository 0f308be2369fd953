#include "tools/fake_providers/fake_providers.h"

#include <thread>

#include <httplib.h>

#include "core/time.h"
#include "net/url.h"
#include "tools/fake_providers/connection_abort.h"
#include "tools/fake_providers/control_json.h"
#include "tools/fake_providers/fault_injector.h"
#include "tools/fake_providers/routes.h"
#include "tools/fake_providers/sample_store.h"
#include "tools/fake_providers/stats_recorder.h"

namespace envmon::fake_providers {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr size_t kDripBytes = 16;

// What a CDN or proxy in front of an API answers instead of the API: HTML, not JSON.
constexpr std::string_view kHtmlPage =
    "<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>\n"
    "<body><h1>Checking your browser before accessing the site.</h1></body></html>\n";
constexpr std::string_view kHtml503 =
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
    "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

// A body whose bytes are read by cpp-httplib's content provider after the handler returns.
// shared_ptr: httplib copies the provider callback, and every copy must see the same bytes.
using SharedBody = std::shared_ptr<const std::string>;

}  // namespace

// A rendered answer body and, for observation bodies, the time it reports (unix seconds).
struct RenderedBody {
  std::string text;
  std::optional<int64_t> observed;
};

class FakeProviders::Impl {
 public:
  Impl(FakeOptions options, Faults initial)
      : opts_(std::move(options)), clock_(opts_.clock ? opts_.clock : &system_clock_) {
    for (const Provider p : kAllProviders)
      faults_.set(p, initial);
  }

  Status start();
  void stop();
  int port() const { return port_; }
  FaultInjector& faults() { return faults_; }
  Status set_faults(std::string_view provider, const Faults& faults);
  StatsRecorder& stats() { return stats_; }

 private:
  using HandlerResponse = httplib::Server::HandlerResponse;

  HandlerResponse handle(const httplib::Request& req, httplib::Response& res);
  void serve(const Route& route, const FaultPlan& plan, httplib::Response& res);
  void answer_fault(const httplib::Request& req, const Route& route, const FaultPlan& plan,
                    httplib::Response& res);
  std::optional<RenderedBody> render(const Route& route) const;
  int64_t shift_for(const BodyTemplate& t, const Route& route) const;
  void install_control_routes(httplib::Server& server);

  FakeOptions opts_;
  SystemClock system_clock_;
  const Clock* clock_;
  SampleStore samples_;
  FaultInjector faults_;
  StatsRecorder stats_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

int64_t FakeProviders::Impl::shift_for(const BodyTemplate& t, const Route& route) const {
  if (opts_.time_mode == TimeMode::verbatim || !t.main_instant()) return 0;
  const Timestamp now = clock_->now();
  const Seconds off(t.utc_offset_secs());
  Timestamp target;
  if (route.start_day_secs) {
    // The recording's first local day becomes start_date.
    target = from_unix_ms(*route.start_day_secs * 1000) - off;
  } else if (t.main_is_series()) {
    target = floor_to(now + off, std::chrono::days(1)) - off;  // series start at local midnight
  } else {
    target = floor_to(now, Seconds(std::max<int64_t>(1, opts_.time_step_secs)));
  }
  return to_unix_ms(target) / 1000 - *t.main_instant();
}

std::optional<RenderedBody> FakeProviders::Impl::render(const Route& route) const {
  if (route.sample.empty()) return RenderedBody{route.body, {}};
  const BodyTemplate* t = samples_.find(route.sample);
  if (t == nullptr) return std::nullopt;
  std::optional<int64_t> observed;
  if (opts_.time_mode == TimeMode::verbatim) {
    if (route.data) observed = t->main_instant();
    return RenderedBody{t->text(), observed};
  }
  RenderParams params;
  params.shift_secs = shift_for(*t, route);
  std::string lat;
  std::string lon;
  if (route.coords) {
    lat = net::format_coordinate(route.coords->lat);
    lon = net::format_coordinate(route.coords->lon);
  }
  params.lat = lat;
  params.lon = lon;
  params.idx = route.idx;
  if (route.data && t->main_instant()) observed = *t->main_instant() + params.shift_secs;
  return RenderedBody{t->render(params), observed};
}

void FakeProviders::Impl::serve(const Route& route, const FaultPlan& plan, httplib::Response& res) {
  auto body = render(route);
  const Provider p = route.provider;
  if (!body) {
    res.status = 500;
    res.set_content(json_error("fake-providers: sample not found: " + route.sample), kJson);
    stats_.record_status(p, 500);
    return;
  }
  res.status = route.status;
  stats_.record_status(p, route.status);
  const bool count = route.data && route.status == 200 && body->observed;
  if (plan.slow_drip_ms <= 0) {
    res.set_content(std::move(body->text), kJson);
    if (count) stats_.record_observation(p, route.station_key, *body->observed);
    return;
  }
  const SharedBody shared = std::make_shared<const std::string>(std::move(body->text));
  const int64_t drip = plan.slow_drip_ms;
  res.set_content_provider(
      shared->size(), kJson,
      [shared, drip](size_t offset, size_t length, httplib::DataSink& sink) {
        std::this_thread::sleep_for(std::chrono::milliseconds(drip));
        return sink.write(shared->data() + offset, std::min(length, kDripBytes));
      },
      [this, p, count, key = route.station_key, observed = body->observed](bool success) {
        // Only a body that reached the client in full counts as served.
        if (success && count) stats_.record_observation(p, key, *observed);
      });
}

void FakeProviders::Impl::answer_fault(const httplib::Request& req, const Route& route,
                                       const FaultPlan& plan, httplib::Response& res) {
  const Provider p = route.provider;
  switch (plan.kind) {
    case FaultKind::none:
      return serve(route, plan, res);
    case FaultKind::reset:
      if (const int fd = find_connection(req.local_port, req.remote_port); fd >= 0) {
        stats_.record_status(p, 0);  // before the cut: the client may look at stats right after
        cut_connection(fd);
        res.status = 500;  // never reaches the client: the socket is already shut down
        return;
      }
      return serve(route, plan, res);
    case FaultKind::rate_limited: {
      if (plan.retry_after_secs > 0) {
        res.set_header("Retry-After", std::to_string(plan.retry_after_secs));
      }
      return serve(rate_limited_route(p), FaultPlan{}, res);
    }
    case FaultKind::server_error:
      res.status = 503;
      stats_.record_status(p, 503);
      if (p == Provider::waqi) return res.set_content(std::string(kHtml503), kHtml);
      return res.set_content(p == Provider::openweathermap
                                 ? R"({"cod":503,"message":"Internal error"})"
                                 : R"({"error":true,"reason":"The service is overloaded"})",
                             kJson);
    case FaultKind::html:
      stats_.record_status(p, 200);
      return res.set_content(std::string(kHtmlPage), kHtml);
    case FaultKind::malformed:
    case FaultKind::truncated:
      break;
  }
  auto body = render(route);
  std::string text = body ? std::move(body->text) : std::string("{\"status\":\"ok\"}");
  res.status = 200;
  stats_.record_status(p, 200);
  if (plan.kind == FaultKind::malformed) {
    text.resize(text.size() / 2);  // JSON cut mid-way
    return res.set_content(std::move(text), kJson);
  }
  // Promise the whole body, send half, then close: the client must notice the short read.
  const SharedBody shared = std::make_shared<const std::string>(std::move(text));
  res.set_content_provider(shared->size(), kJson,
                           [shared](size_t offset, size_t, httplib::DataSink& sink) {
                             const size_t half = shared->size() / 2;
                             if (offset >= half) return false;
                             return sink.write(shared->data() + offset, half - offset);
                           });
}

httplib::Server::HandlerResponse FakeProviders::Impl::handle(const httplib::Request& req,
                                                             httplib::Response& res) {
  if (req.path.starts_with("/_fake/")) return HandlerResponse::Unhandled;
  const int64_t arrival_ms = to_unix_ms(clock_->now());
  const Route route = route_request(req.path, req.params, req.get_header_value("x-api-key"), opts_);
  if (route.provider == Provider::unknown) {
    res.status = 404;
    res.set_content(json_error("fake-providers: no such endpoint: " + req.path), kJson);
    return HandlerResponse::Handled;
  }
  stats_.record_arrival(route.provider, arrival_ms);
  const FaultPlan plan = faults_.next(route.provider);
  if (plan.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(plan.latency_ms));
  if (plan.kind != FaultKind::none) stats_.record_fault(route.provider, fault_kind_name(plan.kind));
  answer_fault(req, route, plan, res);
  return HandlerResponse::Handled;
}

void FakeProviders::Impl::install_control_routes(httplib::Server& server) {
  server.Post("/_fake/faults", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string provider = req.has_param("provider") ? req.get_param_value("provider") : "*";
    auto parsed = faults_from_json(req.body);
    const Status st = parsed ? set_faults(provider, *parsed) : Status(parsed.error());
    res.status = st ? 200 : 400;
    res.set_content(st ? faults_to_json(*parsed) : json_error(st.error().message()), kJson);
  });
  server.Get("/_fake/faults", [this](const httplib::Request& req, httplib::Response& res) {
    const Provider p = provider_from_name(req.get_param_value("provider"));
    if (p == Provider::unknown) {
      res.status = 400;
      return res.set_content(json_error("provider must be openweathermap, waqi or openmeteo"),
                             kJson);
    }
    res.set_content(faults_to_json(faults_.get(p)), kJson);
  });
  server.Post("/_fake/reset", [this](const httplib::Request&, httplib::Response& res) {
    stats_.reset();
    res.set_content(R"({"ok":true})", kJson);
  });
  server.Get("/_fake/stats", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string stations = req.has_param("stations") ? req.get_param_value("stations") : "1";
    if (stations != "0" && stations != "1") {
      res.status = 400;
      return res.set_content(json_error("stations must be 0 or 1, got '" + stations + "'"), kJson);
    }
    res.set_content(stats_to_json(stats_.snapshot(), stations == "1"), kJson);
  });
}

Status FakeProviders::Impl::start() {
  if (server_) return Error(Errc::invalid_argument, "fake-providers already started");
  auto store = SampleStore::load(opts_.samples_dir);
  if (!store) return store.error().with_context("fake-providers");
  samples_ = std::move(store).value();
  server_ = std::make_unique<httplib::Server>();
  const size_t threads = static_cast<size_t>(std::max(1, opts_.threads));
  // cpp-httplib takes ownership of the raw pointer it is handed and deletes it at shutdown.
  server_->new_task_queue = [threads] {
    return std::make_unique<httplib::ThreadPool>(threads).release();
  };
  server_->set_keep_alive_max_count(100000);
  server_->set_tcp_nodelay(true);
  server_->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return handle(req, res); });
  install_control_routes(*server_);
  port_ = opts_.port == 0 ? server_->bind_to_any_port(opts_.host)
                          : (server_->bind_to_port(opts_.host, opts_.port) ? opts_.port : -1);
  if (port_ <= 0) {
    server_.reset();
    return Error(Errc::io, "fake-providers: cannot listen on " + opts_.host + ":" +
                               std::to_string(opts_.port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ok_status();
}

void FakeProviders::Impl::stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

FakeProviders::FakeProviders(FakeOptions options, Faults initial)
    : impl_(std::make_unique<Impl>(std::move(options), initial)) {}
FakeProviders::~FakeProviders() {
  impl_->stop();
}
Status FakeProviders::start() {
  return impl_->start();
}
int FakeProviders::port() const {
  return impl_->port();
}
std::string FakeProviders::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port());
}
void FakeProviders::stop() {
  impl_->stop();
}
Stats FakeProviders::stats() const {
  return impl_->stats().snapshot();
}
void FakeProviders::reset_stats() {
  impl_->stats().reset();
}

// provider "*" sets every provider; an unknown name changes nothing.
Status FakeProviders::Impl::set_faults(std::string_view provider, const Faults& faults) {
  const Provider p = provider_from_name(provider);
  if (provider != "*" && p == Provider::unknown) {
    return Error(Errc::invalid_argument, "unknown provider '" + std::string(provider) +
                                             "'; expected openweathermap, waqi, openmeteo or *");
  }
  for (const Provider each : kAllProviders) {
    if (provider == "*" || each == p) faults_.set(each, faults);
  }
  return ok_status();
}

Status FakeProviders::set_faults(std::string_view provider, const Faults& faults) {
  return impl_->set_faults(provider, faults);
}

Faults FakeProviders::faults(std::string_view provider) const {
  return impl_->faults().get(provider_from_name(provider));
}

}  // namespace envmon::fake_providers
