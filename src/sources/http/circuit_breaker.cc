#include "sources/http/circuit_breaker.h"

namespace envmon::sources::http {

std::string_view circuit_state_name(CircuitState s) {
  switch (s) {
    case CircuitState::closed:
      return "closed";
    case CircuitState::open:
      return "open";
    case CircuitState::half_open:
      return "half_open";
  }
  return "closed";
}

bool CircuitBreaker::allow(Timestamp now) {
  if (state_ == CircuitState::open && now >= opened_at_ + open_for_) {
    state_ = CircuitState::half_open;
    probe_in_flight_ = false;
  }
  if (state_ == CircuitState::closed) return true;
  if (state_ == CircuitState::half_open && !probe_in_flight_) {
    probe_in_flight_ = true;
    return true;
  }
  return false;
}

bool CircuitBreaker::on_success() {
  failures_ = 0;
  probe_in_flight_ = false;
  if (state_ == CircuitState::closed) return false;
  state_ = CircuitState::closed;
  return true;
}

bool CircuitBreaker::on_failure(Timestamp now) {
  ++failures_;
  const bool reopen = state_ == CircuitState::half_open;
  if (!reopen && (state_ == CircuitState::open || failures_ < threshold_)) return false;
  state_ = CircuitState::open;
  opened_at_ = now;
  probe_in_flight_ = false;
  return true;
}

Timestamp CircuitBreaker::retry_at(Timestamp now) const {
  if (state_ == CircuitState::open)
    return opened_at_ + open_for_ > now ? opened_at_ + open_for_ : now;
  return now;
}

}  // namespace envmon::sources::http
