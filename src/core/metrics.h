#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace envmon {

// The one Prometheus registry of a process; /metrics serialises it.
class MetricsRegistry {
 public:
  MetricsRegistry();
  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared() { return registry_; }
  std::string serialize_text() const;

  prometheus::Family<prometheus::Counter>& received() { return *received_; }
  prometheus::Family<prometheus::Counter>& sent() { return *sent_; }
  prometheus::Family<prometheus::Counter>& errors() { return *errors_; }
  prometheus::Family<prometheus::Counter>& discarded() { return *discarded_; }

  // Extra, component-specific series go through these helpers so names stay prefixed envmon_.
  prometheus::Family<prometheus::Gauge>& gauge_family(const std::string& name, const std::string& help);
  prometheus::Family<prometheus::Counter>& counter_family(const std::string& name, const std::string& help);
  prometheus::Family<prometheus::Histogram>& histogram_family(const std::string& name,
                                                              const std::string& help);

 private:
  // shared_ptr because prometheus-cpp's collectables interface takes a weak/shared pointer.
  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex mutex_;
  prometheus::Family<prometheus::Counter>* received_;
  prometheus::Family<prometheus::Counter>* sent_;
  prometheus::Family<prometheus::Counter>* errors_;
  prometheus::Family<prometheus::Counter>* discarded_;
};

// The counters every component emits (docs/specs/component.md):
//   component_received_events_total, component_sent_events_total,
//   component_errors_total{stage,error_type}, component_discarded_events_total{reason}.
// Labels component_kind / component_type / component_id identify the instance.
class ComponentMetrics {
 public:
  ComponentMetrics(MetricsRegistry& registry, std::string kind, std::string type, std::string id);

  void received(double n = 1) { received_->Increment(n); }
  void sent(double n = 1) { sent_->Increment(n); }
  void error(std::string_view stage, std::string_view error_type, double n = 1);
  void discarded(std::string_view reason, double n = 1);

  double received_total() const { return received_->Value(); }
  double sent_total() const { return sent_->Value(); }
  double discarded_total(std::string_view reason) const;
  double errors_total(std::string_view stage, std::string_view error_type) const;

  MetricsRegistry& registry() { return *registry_; }
  const std::string& id() const { return id_; }
  std::map<std::string, std::string> labels() const;

 private:
  MetricsRegistry* registry_;
  std::string kind_, type_, id_;
  prometheus::Counter* received_;
  prometheus::Counter* sent_;
};

}  // namespace envmon
