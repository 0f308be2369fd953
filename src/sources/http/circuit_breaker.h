#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.h"

namespace envmon::sources::http {

enum class CircuitState : uint8_t { closed = 0, open = 1, half_open = 2 };
std::string_view circuit_state_name(CircuitState s);

// Per provider: opens after `threshold` consecutive transient failures, stays open for
// `open_for`, then lets exactly one probe through; its success closes, its failure re-opens.
class CircuitBreaker {
 public:
  CircuitBreaker(int64_t threshold, Millis open_for) : threshold_(threshold), open_for_(open_for) {}
  // May a request start now? In half-open, true exactly once (the probe).
  bool allow(Timestamp now);
  // Reports the outcome of a request that allow() let through. Returns true on a state change.
  bool on_success();
  bool on_failure(Timestamp now);
  CircuitState state() const { return state_; }
  // When allow() can next say yes (now when closed).
  Timestamp retry_at(Timestamp now) const;

 private:
  int64_t threshold_;
  Millis open_for_;
  CircuitState state_ = CircuitState::closed;
  int64_t failures_ = 0;
  Timestamp opened_at_{};
  bool probe_in_flight_ = false;
};

}  // namespace envmon::sources::http
