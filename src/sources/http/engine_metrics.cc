#include "sources/http/engine_metrics.h"

namespace envmon::sources::http {

EngineMetrics::EngineMetrics(MetricsRegistry& r, std::string source)
    : registry_(&r), source_(std::move(source)) {
  const prometheus::Labels base{{"source", source_}};
  requests_ = &r.counter_family("envmon_source_http_requests_total",
                                "HTTP requests by endpoint and outcome");
  duration_ =
      &r.histogram_family("envmon_source_http_request_duration_seconds", "HTTP request duration")
           .Add(base,
                prometheus::Histogram::BucketBoundaries{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
  waits_ = &r.counter_family("envmon_source_http_rate_limit_waits_total",
                             "Fetches delayed by a quota window's token bucket");
  tokens_ = &r.gauge_family("envmon_source_http_tokens_available", "Tokens left in a quota bucket");
  transitions_ = &r.counter_family("envmon_source_http_circuit_transitions_total",
                                   "Circuit breaker transitions by target state");
  planned_ = &r.gauge_family("envmon_source_http_planned_interval_seconds",
                             "Effective poll interval per endpoint after quota planning");
  in_flight_ = &r.gauge_family("envmon_source_http_in_flight", "Requests on the wire").Add(base);
  backoff_retries_ = &r.counter_family("envmon_source_http_backoff_retries_total",
                                       "Retries after a transient failure")
                          .Add(base);
  retry_after_pauses_ = &r.counter_family("envmon_source_http_retry_after_pauses_total",
                                          "Provider-wide pauses after a rate-limit answer")
                             .Add(base);
  circuit_state_ = &r.gauge_family("envmon_source_http_circuit_state",
                                   "Circuit breaker state: 0 closed, 1 open, 2 half_open")
                        .Add(base);
  stale_ = &r.counter_family("envmon_source_http_stale_discarded_total",
                             "Provider observations discarded as older than stale_after_secs")
                .Add(base);
}

prometheus::Labels EngineMetrics::labels(std::string_view key, std::string_view value) const {
  return {{"source", source_}, {std::string(key), std::string(value)}};
}

void EngineMetrics::request(std::string_view endpoint, std::string_view outcome, double seconds) {
  auto l = labels("endpoint", endpoint);
  l.emplace("outcome", std::string(outcome));
  requests_->Add(l).Increment();
  duration_->Observe(seconds);
}

void EngineMetrics::rate_limit_wait(std::string_view window) {
  waits_->Add(labels("window", window)).Increment();
}

void EngineMetrics::tokens_available(std::string_view window, double tokens) {
  tokens_->Add(labels("window", window)).Set(tokens);
}

void EngineMetrics::circuit(CircuitState s, bool transition) {
  circuit_state_->Set(static_cast<double>(s));
  if (transition) transitions_->Add(labels("to", circuit_state_name(s))).Increment();
}

void EngineMetrics::planned_interval(std::string_view endpoint, double seconds) {
  planned_->Add(labels("endpoint", endpoint)).Set(seconds);
}

}  // namespace envmon::sources::http
