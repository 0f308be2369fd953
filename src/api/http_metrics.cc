#include "api/http_metrics.h"

#include <string>

namespace envmon::api {

std::string_view route_label(Route r) {
  switch (r) {
    case Route::health: return "/health";
    case Route::ready: return "/ready";
    case Route::metrics: return "/metrics";
    case Route::api_metrics: return "/api/v1/metrics";
    case Route::api_stations: return "/api/v1/stations";
    case Route::api_latest: return "/api/v1/stations/{id}/latest";
    case Route::api_observations: return "/api/v1/observations";
    case Route::api_anomalies: return "/api/v1/anomalies";
    case Route::api_clusters: return "/api/v1/clusters";
    case Route::api_top_aqi: return "/api/v1/aqi/top";
    case Route::api_unknown: return "/api/unknown";
    case Route::static_files: return "static";
    case Route::method_not_allowed: return "method_not_allowed";
    case Route::count_: break;
  }
  return "unknown";
}

HttpMetrics::HttpMetrics(MetricsRegistry& registry)
    : requests_(registry.counter_family("envmon_http_requests_total",
                                        "HTTP requests answered, by route template and status")) {
  auto& latency = registry.histogram_family("envmon_http_request_duration_seconds",
                                            "Time to produce an HTTP response, by route template");
  const prometheus::Histogram::BucketBoundaries bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                       0.005,  0.01,    0.025,  0.05,  0.1,
                                                       0.25,   0.5,     1,      2.5};
  for (size_t i = 0; i < kRouteCount; ++i) {
    latency_[i] = &latency.Add({{"route", std::string(route_label(static_cast<Route>(i)))}}, bounds);
  }
}

void HttpMetrics::count(Route route, int status) {
  if (status < kMinStatus || status >= kMinStatus + kStatusSlots) status = 500;
  auto& slot = counters_[static_cast<size_t>(route)][static_cast<size_t>(status - kMinStatus)];
  prometheus::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    std::lock_guard lock(create_mutex_);
    counter = &requests_.Add(
        {{"route", std::string(route_label(route))}, {"status", std::to_string(status)}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
}

void HttpMetrics::observe_latency(Route route, double seconds) {
  latency_[static_cast<size_t>(route)]->Observe(seconds);
}

}  // namespace envmon::api
