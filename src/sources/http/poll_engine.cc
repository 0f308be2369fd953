#include "sources/http/poll_engine.h"

#include <algorithm>
#include <thread>

namespace envmon::sources::http {

namespace {

uint64_t seed_for(const std::string& id) {
  return std::hash<std::string>{}(id) ^ 0x9E3779B97F4A7C15ULL;
}

net::HttpClientConfig client_config(const PollerConfig& c) {
  return net::HttpClientConfig{c.max_host_connections,
                               std::max<int64_t>(c.max_host_connections * 2, 16)};
}

}  // namespace

PollEngine::PollEngine(std::unique_ptr<Provider> provider, PollerConfig config,
                       int64_t poll_interval_secs, std::vector<config::StationConfig> stations,
                       ComponentContext ctx, PollMode mode)
    : provider_(std::move(provider)),
      config_(config),
      poll_interval_secs_(poll_interval_secs),
      stations_(std::move(stations)),
      ctx_(std::move(ctx)),
      mode_(mode),
      metrics_(*ctx_.registry, ctx_.id),
      breaker_(config.circuit_failure_threshold, Seconds(config.circuit_open_secs)),
      backoff_(Millis(config.backoff_initial_ms), Seconds(config.backoff_max_secs),
               seed_for(ctx_.id)),
      rng_(seed_for(ctx_.id) + 1),
      client_(client_config(config)) {
  for (const auto& s : stations_)
    station_ids_.insert(s.id);
  plan(ctx_.clock->now());
}

PollEngine::~PollEngine() {
  abort();
}

void PollEngine::plan(Timestamp now) {
  tasks_ = provider_->tasks(stations_);
  const auto groups = provider_->group_quotas();
  plans_ = plan_intervals(tasks_, config_, poll_interval_secs_, groups);
  state_.assign(tasks_.size(), TaskState{});
  for (const auto& q : quota_specs(config_, groups))
    limiters_[q.group].add(q.window, q.limit, config_.burst_fraction, now);
  std::set<std::string> reported;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    const TaskPlan& p = plans_[i];
    metrics_.planned_interval(tasks_[i].endpoint,
                              static_cast<double>(p.effective.count()) / 1000.0);
    if (!p.limited_by.empty() && reported.insert(tasks_[i].endpoint).second) {
      ctx_.log.info("quota stretches the poll interval",
                    {{"endpoint", tasks_[i].endpoint},
                     {"configured_secs", p.configured.count() / 1000},
                     {"effective_secs", p.effective.count() / 1000},
                     {"limited_by", p.limited_by}});
    }
    const Millis phase =
        mode_ == PollMode::once ? Millis(0) : initial_phase(i, tasks_.size(), p.effective);
    schedule(i, now + phase);
  }
  metrics_.circuit(breaker_.state(), false);
}

void PollEngine::schedule(size_t task, Timestamp due) {
  state_[task].due = due;
  heap_.emplace(due, task);
}

SourceBatch PollEngine::step(Millis max_wait) {
  SourceBatch out;
  const Timestamp now = ctx_.clock->now();
  dispatch_due(now);
  if (in_flight_.empty() && !done()) {
    // Idle until the next due task (backoff, pause, schedule): sleep rather than let a caller
    // that loops on step() spin. Bounded by max_wait; a ManualClock makes this a no-op.
    const Millis idle = std::clamp(next_due() - now, Millis(0), max_wait);
    std::this_thread::sleep_for(ctx_.clock->real_duration(idle));
  }
  const Millis wait = in_flight_.empty() ? Millis(0) : max_wait;
  for (auto& c : client_.perform(wait)) {
    auto it = in_flight_.find(c.id);
    if (it == in_flight_.end()) continue;
    const size_t task = it->second;
    in_flight_.erase(it);
    complete(task, c.response, out);
  }
  update_gauges(ctx_.clock->now());
  return out;
}

void PollEngine::dispatch_due(Timestamp now) {
  while (!heap_.empty() && heap_.top().first <= now &&
         static_cast<int64_t>(in_flight_.size()) < config_.max_in_flight) {
    const size_t task = heap_.top().second;
    heap_.pop();
    const Timestamp allowed = gate(task, now);
    if (allowed > now) {
      schedule(task, allowed);
      continue;
    }
    submit(task);
  }
}

// When the task may start: pauses, the circuit and every quota bucket that covers it. Returns
// `now` (and takes the tokens and, half-open, the probe) when it may start at once.
Timestamp PollEngine::gate(size_t task, Timestamp now) {
  if (paused_until_ > now) return paused_until_;
  if (auto it = endpoint_paused_until_.find(tasks_[task].endpoint);
      it != endpoint_paused_until_.end() && it->second > now) {
    return it->second;
  }
  const Timestamp quota = quota_gate(tasks_[task], now);
  if (quota > now) return quota;
  const CircuitState before = breaker_.state();
  const bool allowed = breaker_.allow(now);
  if (breaker_.state() != before) {
    metrics_.circuit(breaker_.state(), true);
    ctx_.log.info("circuit half-open: sending one probe", {{"provider", provider_->name()}});
  }
  if (!allowed) return std::max(breaker_.retry_at(now), now + Millis(1000));
  for (RateLimiter* l : limiters_for(tasks_[task])) {
    if (l != nullptr) l->try_acquire(now, tasks_[task].weight);  // quota_gate said it fits
  }
  return now;
}

std::array<RateLimiter*, 2> PollEngine::limiters_for(const FetchTask& task) {
  auto find = [this](const std::string& group) -> RateLimiter* {
    const auto it = limiters_.find(group);
    return it == limiters_.end() ? nullptr : &it->second;
  };
  return {find(""), task.quota_group.empty() ? nullptr : find(task.quota_group)};
}

Timestamp PollEngine::quota_gate(const FetchTask& task, Timestamp now) {
  Timestamp at = now;
  for (const RateLimiter* l : limiters_for(task)) {
    if (l == nullptr) continue;
    for (const auto& b : l->buckets()) {
      const Timestamp t = b.next_available(now, task.weight);
      if (t > now) metrics_.rate_limit_wait(window_name(b.window()));
      at = std::max(at, t);
    }
  }
  return at;
}

void PollEngine::submit(size_t task) {
  const FetchTask& t = tasks_[task];
  net::HttpRequest request = provider_->build(t, stations_[t.station_index]);
  request.connect_timeout = Millis(config_.connect_timeout_ms);
  request.total_timeout = Millis(config_.timeout_ms);
  state_[task].redacted_url = request.redacted_url;
  state_[task].in_flight = true;
  in_flight_.emplace(client_.submit(std::move(request)), task);
}

Timestamp PollEngine::next_due() const {
  if (heap_.empty()) return Timestamp::max();
  return heap_.top().first;
}

bool PollEngine::done() const {
  return mode_ == PollMode::once && finished_ == tasks_.size() && in_flight_.empty();
}

std::vector<TaskStatus> PollEngine::status() const {
  std::vector<TaskStatus> out;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    const TaskState& s = state_[i];
    out.push_back(TaskStatus{stations_[tasks_[i].station_index].id, tasks_[i].endpoint,
                             plans_[i].effective, s.due, s.attempt, s.in_flight, s.finished,
                             s.last_outcome});
  }
  return out;
}

void PollEngine::abort() {
  client_.abort_all();
  for (const auto& [id, task] : in_flight_)
    state_[task].in_flight = false;
  in_flight_.clear();
}

void PollEngine::update_gauges(Timestamp now) {
  metrics_.in_flight(static_cast<double>(in_flight_.size()));
  // Group buckets are labelled "<group>/<window>" beside the provider-wide "<window>".
  for (const auto& [group, limiter] : limiters_) {
    for (const auto& b : limiter.buckets()) {
      const std::string window(window_name(b.window()));
      metrics_.tokens_available(group.empty() ? window : group + "/" + window, b.available(now));
    }
  }
}

}  // namespace envmon::sources::http
