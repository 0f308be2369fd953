#pragma once

#include <string>
#include <string_view>

#include "core/metrics.h"
#include "sources/http/circuit_breaker.h"

namespace envmon::sources::http {

// The engine's own series (prefixed envmon_, labelled source=<instance id>), beside the
// ComponentMetrics every component emits.
class EngineMetrics {
 public:
  EngineMetrics(MetricsRegistry& registry, std::string source);
  void request(std::string_view endpoint, std::string_view outcome, double seconds);
  void in_flight(double n) { in_flight_->Set(n); }
  void rate_limit_wait(std::string_view window);
  void tokens_available(std::string_view window, double tokens);
  void backoff_retry() { backoff_retries_->Increment(); }
  void retry_after_pause() { retry_after_pauses_->Increment(); }
  void circuit(CircuitState s, bool transition);
  void planned_interval(std::string_view endpoint, double seconds);
  void stale_discarded() { stale_->Increment(); }

 private:
  prometheus::Labels labels(std::string_view key, std::string_view value) const;

  MetricsRegistry* registry_;
  std::string source_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Counter>* waits_;
  prometheus::Family<prometheus::Gauge>* tokens_;
  prometheus::Family<prometheus::Counter>* transitions_;
  prometheus::Family<prometheus::Gauge>* planned_;
  prometheus::Histogram* duration_;
  prometheus::Gauge* in_flight_;
  prometheus::Counter* backoff_retries_;
  prometheus::Counter* retry_after_pauses_;
  prometheus::Gauge* circuit_state_;
  prometheus::Counter* stale_;
};

}  // namespace envmon::sources::http
