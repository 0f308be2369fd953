#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "core/metrics.h"

namespace envmon::api {

// Route templates, used as the `route` label (never the raw path: ids would explode cardinality).
enum class Route : uint8_t {
  health,
  ready,
  metrics,
  api_metrics,
  api_stations,
  api_latest,
  api_observations,
  api_anomalies,
  api_clusters,
  api_top_aqi,
  api_unknown,
  static_files,
  method_not_allowed,
  count_,
};
inline constexpr size_t kRouteCount = static_cast<size_t>(Route::count_);
std::string_view route_label(Route r);

// envmon_http_requests_total{route,status} and envmon_http_request_duration_seconds{route}.
// Series are created on first use and their pointers kept in atomics, so the hot path never
// builds a label map or takes the registry lock.
class HttpMetrics {
 public:
  explicit HttpMetrics(MetricsRegistry& registry);
  void count(Route route, int status);
  void observe_latency(Route route, double seconds);

 private:
  static constexpr int kMinStatus = 100;
  static constexpr int kStatusSlots = 500;  // 100..599

  prometheus::Family<prometheus::Counter>& requests_;
  std::array<prometheus::Histogram*, kRouteCount> latency_{};
  std::array<std::array<std::atomic<prometheus::Counter*>, kStatusSlots>, kRouteCount> counters_{};
  std::mutex create_mutex_;
};

}  // namespace envmon::api
