#include "tools/fake_providers/fault_injector.h"

namespace envmon::fake_providers {

std::string_view fault_kind_name(FaultKind k) {
  switch (k) {
    case FaultKind::none:
      return "none";
    case FaultKind::reset:
      return "reset";
    case FaultKind::server_error:
      return "5xx";
    case FaultKind::rate_limited:
      return "429";
    case FaultKind::html:
      return "html";
    case FaultKind::malformed:
      return "malformed";
    case FaultKind::truncated:
      return "truncated";
  }
  return "none";
}

void FaultInjector::set(Provider p, const Faults& faults) {
  const std::lock_guard lock(mu_);
  State& s = states_[static_cast<size_t>(p)];
  s.faults = faults;
  s.requests = 0;
  s.burst_left = faults.burst_5xx;
  s.rng.seed(faults.seed);
}

Faults FaultInjector::get(Provider p) const {
  const std::lock_guard lock(mu_);
  return states_[static_cast<size_t>(p)].faults;
}

FaultPlan FaultInjector::next(Provider p) {
  const std::lock_guard lock(mu_);
  State& s = states_[static_cast<size_t>(p)];
  const Faults& f = s.faults;
  FaultPlan plan{FaultKind::none, f.latency_ms, f.slow_drip_ms, f.retry_after_secs};
  ++s.requests;
  // One draw per random fault per request, always, so the sequence for a seed does not depend
  // on which faults happened to fire before.
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double r_reset = unit(s.rng);
  const double r_html = unit(s.rng);
  const double r_malformed = unit(s.rng);
  const double r_truncated = unit(s.rng);
  if (s.burst_left > 0) {
    --s.burst_left;
    plan.kind = FaultKind::server_error;
  } else if (f.status_429_every > 0 && s.requests % f.status_429_every == 0) {
    plan.kind = FaultKind::rate_limited;
  } else if (r_reset < f.reset_rate) {
    plan.kind = FaultKind::reset;
  } else if (r_html < f.html_rate) {
    plan.kind = FaultKind::html;
  } else if (r_malformed < f.malformed_rate) {
    plan.kind = FaultKind::malformed;
  } else if (r_truncated < f.truncated_rate) {
    plan.kind = FaultKind::truncated;
  }
  return plan;
}

}  // namespace envmon::fake_providers
