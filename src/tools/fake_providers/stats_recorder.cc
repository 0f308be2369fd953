#include "tools/fake_providers/stats_recorder.h"

#include <algorithm>

namespace envmon::fake_providers {

void StatsRecorder::Window::add(int64_t t) {
  // Concurrent workers may record arrivals slightly out of order: keep the deque sorted
  // (the insertion point is almost always the end) and evict relative to the newest.
  arrivals.insert(std::upper_bound(arrivals.begin(), arrivals.end(), t), t);
  newest = std::max(newest, t);
  while (!arrivals.empty() && arrivals.front() <= newest - window_ms)
    arrivals.pop_front();
  peak = std::max<int64_t>(peak, static_cast<int64_t>(arrivals.size()));
}

void StatsRecorder::record_arrival(Provider p, int64_t arrival_ms) {
  const std::lock_guard lock(mu_);
  PerProvider& s = slot(p);
  ++s.stats.total;
  for (Window& w : s.windows)
    w.add(arrival_ms);
  s.stats.max_per_minute = s.windows[0].peak;
  s.stats.max_per_hour = s.windows[1].peak;
  s.stats.max_per_day = s.windows[2].peak;
}

void StatsRecorder::record_status(Provider p, int status) {
  const std::lock_guard lock(mu_);
  ++slot(p).stats.by_status[status];
}

void StatsRecorder::record_fault(Provider p, std::string_view kind) {
  const std::lock_guard lock(mu_);
  ++slot(p).stats.faults[std::string(kind)];
}

void StatsRecorder::record_observation(Provider p, const std::string& station_key,
                                       int64_t observed_secs) {
  const std::lock_guard lock(mu_);
  slot(p).stats.station_observations[station_key].push_back(observed_secs);
}

Stats StatsRecorder::snapshot() const {
  const std::lock_guard lock(mu_);
  Stats out;
  for (const Provider p : kAllProviders) {
    out.providers[std::string(provider_name(p))] = slots_[static_cast<size_t>(p)].stats;
  }
  return out;
}

void StatsRecorder::reset() {
  const std::lock_guard lock(mu_);
  for (PerProvider& s : slots_)
    s = PerProvider{};
}

}  // namespace envmon::fake_providers
