#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <random>
#include <string_view>

#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// What goes wrong with one answer. `none` still may carry latency or a slow drip.
enum class FaultKind : uint8_t {
  none,
  reset,
  server_error,
  rate_limited,
  html,
  malformed,
  truncated
};
std::string_view fault_kind_name(FaultKind k);  // "none", "reset", "5xx", "429", "html", ...

struct FaultPlan {
  FaultKind kind = FaultKind::none;
  int64_t latency_ms = 0;
  int64_t slow_drip_ms = 0;
  int64_t retry_after_secs = 0;
};

// Per-provider fault settings and the counters/PRNG that turn them into per-request plans.
class FaultInjector {
 public:
  void set(Provider p, const Faults& faults);
  Faults get(Provider p) const;
  FaultPlan next(Provider p);

 private:
  struct State {
    Faults faults;
    int64_t requests = 0;
    int64_t burst_left = 0;
    std::mt19937_64 rng{1};
  };
  mutable std::mutex mu_;
  std::array<State, 4> states_;  // indexed by Provider
};

}  // namespace envmon::fake_providers
