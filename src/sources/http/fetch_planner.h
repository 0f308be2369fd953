#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/time.h"
#include "sources/http/poller_config.h"
#include "sources/http/provider.h"

namespace envmon::sources::http {

// The planned cadence of one task and why it is what it is.
struct TaskPlan {
  Millis configured{0};    // max(section interval, task min_interval, refresh floor)
  Millis effective{0};     // configured, stretched so no quota window is exhausted early
  std::string limited_by;  // "" or "<group|provider>/<window>" that set `effective`
};

// Every limited window: the provider-wide ones from `config` (group "", covering every task)
// and the provider's group quotas. Windows with limit 0 (unlimited) are left out. The planner
// and the engine's token buckets both read this one list.
std::vector<QuotaSpec> quota_specs(const PollerConfig& config,
                                   const std::vector<QuotaSpec>& group_quotas);

// Effective interval per task = max(poll_interval, min_interval, refresh_floor, and for every
// window with limit L covering the task: (sum of weights of the tasks it covers) * W /
// (L * budget_fraction)). Spending at most budget_fraction of every window on schedule keeps the
// day's (and month's) quota from running out before the window ends.
std::vector<TaskPlan> plan_intervals(const std::vector<FetchTask>& tasks,
                                     const PollerConfig& config, int64_t poll_interval_secs,
                                     const std::vector<QuotaSpec>& group_quotas);

// Initial due times: spread uniformly over min(interval, 60 s) so a restart does not burst.
Millis initial_phase(size_t index, size_t count, Millis interval);

// interval * (1 +- jitter_fraction), uniformly.
Millis jittered(Millis interval, double jitter_fraction, std::mt19937_64& rng);

}  // namespace envmon::sources::http
