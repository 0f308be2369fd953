#include "sources/http/fetch_planner.h"

#include <algorithm>
#include <cmath>

#include "sources/http/rate_limiter.h"

namespace envmon::sources::http {

namespace {

bool covers(const QuotaSpec& w, const FetchTask& t) {
  return w.group.empty() || w.group == t.quota_group;
}

// The interval every covered task needs so their calls fit the window's budget: each task runs
// W / interval times per window, weighted; equal intervals for all tasks of the window.
Millis needed_interval(const QuotaSpec& w, const std::vector<FetchTask>& tasks, double budget) {
  double weight = 0;
  for (const auto& t : tasks) {
    if (covers(w, t)) weight += t.weight;
  }
  const double ms = weight * static_cast<double>(window_length(w.window).count()) /
                    (static_cast<double>(w.limit) * budget);
  return Millis(static_cast<int64_t>(std::ceil(ms)));
}

}  // namespace

std::vector<QuotaSpec> quota_specs(const PollerConfig& c, const std::vector<QuotaSpec>& groups) {
  std::vector<QuotaSpec> out = {{"", QuotaWindow::minute, c.limit_per_minute},
                                {"", QuotaWindow::hour, c.limit_per_hour},
                                {"", QuotaWindow::day, c.limit_per_day},
                                {"", QuotaWindow::month, c.limit_per_month}};
  out.insert(out.end(), groups.begin(), groups.end());
  std::erase_if(out, [](const QuotaSpec& q) { return q.limit <= 0; });
  return out;
}

std::vector<TaskPlan> plan_intervals(const std::vector<FetchTask>& tasks,
                                     const PollerConfig& config, int64_t poll_interval_secs,
                                     const std::vector<QuotaSpec>& group_quotas) {
  const auto limits = quota_specs(config, group_quotas);
  std::vector<Millis> needed;
  for (const auto& w : limits)
    needed.push_back(needed_interval(w, tasks, config.budget_fraction));
  std::vector<TaskPlan> out;
  for (const auto& t : tasks) {
    TaskPlan p;
    p.configured = std::max({Millis(Seconds(poll_interval_secs)), Millis(t.min_interval),
                             Millis(Seconds(config.refresh_floor_secs)), Millis(1000)});
    p.effective = p.configured;
    for (size_t i = 0; i < limits.size(); ++i) {
      if (!covers(limits[i], t) || needed[i] <= p.effective) continue;
      p.effective = needed[i];
      p.limited_by = (limits[i].group.empty() ? "provider" : limits[i].group) + "/" +
                     std::string(window_name(limits[i].window));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Millis initial_phase(size_t index, size_t count, Millis interval) {
  const int64_t spread = std::min<int64_t>(interval.count(), 60'000);
  if (count == 0) return Millis(0);
  return Millis(spread * static_cast<int64_t>(index) / static_cast<int64_t>(count));
}

Millis jittered(Millis interval, double jitter_fraction, std::mt19937_64& rng) {
  if (jitter_fraction <= 0) return interval;
  std::uniform_real_distribution<double> dist(-jitter_fraction, jitter_fraction);
  const double ms = static_cast<double>(interval.count()) * (1.0 + dist(rng));
  return Millis(std::max<int64_t>(1, static_cast<int64_t>(ms)));
}

}  // namespace envmon::sources::http
