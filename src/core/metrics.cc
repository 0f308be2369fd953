#include "core/metrics.h"

#include <prometheus/text_serializer.h>

namespace envmon {

MetricsRegistry::MetricsRegistry() : registry_(std::make_shared<prometheus::Registry>()) {
  received_ = &prometheus::BuildCounter()
                   .Name("component_received_events_total")
                   .Help("Events a component received")
                   .Register(*registry_);
  sent_ = &prometheus::BuildCounter()
               .Name("component_sent_events_total")
               .Help("Events a component emitted downstream or acknowledged as written")
               .Register(*registry_);
  errors_ = &prometheus::BuildCounter()
                 .Name("component_errors_total")
                 .Help("Errors by stage and error type")
                 .Register(*registry_);
  discarded_ = &prometheus::BuildCounter()
                    .Name("component_discarded_events_total")
                    .Help("Events discarded (sent to the dead-letter topic or deduplicated) by reason")
                    .Register(*registry_);
}

std::string MetricsRegistry::serialize_text() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

prometheus::Family<prometheus::Gauge>& MetricsRegistry::gauge_family(const std::string& name,
                                                                     const std::string& help) {
  std::lock_guard lock(mutex_);
  return prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Counter>& MetricsRegistry::counter_family(const std::string& name,
                                                                         const std::string& help) {
  std::lock_guard lock(mutex_);
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Histogram>& MetricsRegistry::histogram_family(
    const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
}

ComponentMetrics::ComponentMetrics(MetricsRegistry& registry, std::string kind, std::string type,
                                   std::string id)
    : registry_(&registry), kind_(std::move(kind)), type_(std::move(type)), id_(std::move(id)) {
  received_ = &registry.received().Add(labels());
  sent_ = &registry.sent().Add(labels());
}

std::map<std::string, std::string> ComponentMetrics::labels() const {
  return {{"component_kind", kind_}, {"component_type", type_}, {"component_id", id_}};
}

void ComponentMetrics::error(std::string_view stage, std::string_view error_type, double n) {
  auto l = labels();
  l.emplace("stage", std::string(stage));
  l.emplace("error_type", std::string(error_type));
  registry_->errors().Add(l).Increment(n);
}

void ComponentMetrics::discarded(std::string_view reason, double n) {
  auto l = labels();
  l.emplace("reason", std::string(reason));
  registry_->discarded().Add(l).Increment(n);
}

double ComponentMetrics::discarded_total(std::string_view reason) const {
  auto l = labels();
  l.emplace("reason", std::string(reason));
  return registry_->discarded().Add(l).Value();
}

double ComponentMetrics::errors_total(std::string_view stage, std::string_view error_type) const {
  auto l = labels();
  l.emplace("stage", std::string(stage));
  l.emplace("error_type", std::string(error_type));
  return registry_->errors().Add(l).Value();
}

}  // namespace envmon
