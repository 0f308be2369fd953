#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"

namespace envmon {

// What every component instance is handed at construction: its identity, a logger with its
// instance prefix, the shared metrics registry with its own component counters, and the clock.
// Components hold no global mutable state, so two instances of one type run side by side.
struct ComponentContext {
  std::string kind;  // source, transform, sink, store, lake, bus, cache, api
  std::string type;  // simulator, sqlite, ...
  std::string id;    // instance name from config
  Logger log;
  MetricsRegistry* registry;
  std::shared_ptr<ComponentMetrics> metrics;  // shared: runners and the component both count
  const Clock* clock;

  ComponentContext(std::string k, std::string t, std::string i, MetricsRegistry& reg, const Clock& c)
      : kind(k),
        type(t),
        id(i),
        log(k + ":" + t + ":" + i),
        registry(&reg),
        metrics(std::make_shared<ComponentMetrics>(reg, k, t, i)),
        clock(&c) {}
};

// Cooperative shutdown flag shared by a component's threads.
class StopToken {
 public:
  void request_stop() { stop_.store(true); }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
};

}  // namespace envmon
