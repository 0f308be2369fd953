#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/component.h"
#include "net/curl_multi.h"
#include "sources/http/backoff.h"
#include "sources/http/circuit_breaker.h"
#include "sources/http/engine_metrics.h"
#include "sources/http/fetch_planner.h"
#include "sources/http/poller_config.h"
#include "sources/http/provider.h"
#include "sources/http/rate_limiter.h"
#include "sources/source.h"

namespace envmon::sources::http {

// continuous: every task forever on its planned cadence. once: every task fetched once
// (transient failures retried with backoff, quotas respected, no interval wait), then done().
enum class PollMode { continuous, once };

// Where one task stands, for reporting (`envmon status`, backfill summaries).
struct TaskStatus {
  std::string station;
  std::string endpoint;
  Millis interval{0};  // effective, after quota planning
  Timestamp next_due{};
  int64_t attempt = 0;  // consecutive transient failures of the current fetch
  bool in_flight = false;
  bool finished = false;     // once mode: fetched (or given up)
  std::string last_outcome;  // outcome_name() or "transport:<error>"; "" before the first
};

// The polling engine behind every API source: one thread, a min-heap schedule of (due, task),
// token buckets per quota window, a circuit breaker, backoff per task and the libcurl multi
// client. step() never blocks longer than max_wait.
class PollEngine {
 public:
  PollEngine(std::unique_ptr<Provider> provider, PollerConfig config, int64_t poll_interval_secs,
             std::vector<config::StationConfig> stations, ComponentContext ctx, PollMode mode);
  ~PollEngine();

  SourceBatch step(Millis max_wait);
  Timestamp next_due() const;
  bool done() const;
  size_t in_flight() const { return in_flight_.size(); }
  std::vector<TaskStatus> status() const;
  CircuitState circuit_state() const { return breaker_.state(); }
  void abort();  // drops requests in flight (stop)

 private:
  struct TaskState {
    Timestamp due{};
    int64_t attempt = 0;
    bool in_flight = false;
    bool finished = false;
    std::string redacted_url;
    std::string last_outcome;
  };
  using Entry = std::pair<Timestamp, size_t>;

  void plan(Timestamp now);
  void schedule(size_t task, Timestamp due);
  void dispatch_due(Timestamp now);
  Timestamp gate(size_t task, Timestamp now);
  Timestamp quota_gate(const FetchTask& task, Timestamp now);
  // The limiters a task draws from: the provider-wide one and its group's (null when absent).
  std::array<RateLimiter*, 2> limiters_for(const FetchTask& task);
  void submit(size_t task);
  void complete(size_t task, const net::HttpResponse& response, SourceBatch& out);
  void apply_outcome(size_t task, Outcome outcome, const ParseResult& parsed,
                     const net::HttpResponse& response, Timestamp now);
  void on_ok(size_t task, Timestamp now);
  void on_transient(size_t task, Timestamp now);
  void on_rate_limited(size_t task, std::optional<Seconds> retry_after, Timestamp now);
  void on_unauthorized(size_t task, const std::string& message, Timestamp now);
  void on_endpoint_unavailable(size_t task, const std::string& message, Timestamp now);
  void on_not_found(size_t task, const std::string& message, Timestamp now);
  void next_slot(size_t task, Timestamp now);
  // A task the provider refused: continuous mode retries it at `until`, once mode gives it up.
  void park(size_t task, Timestamp until);
  void finish(size_t task);
  void emit(size_t task, ParseResult& parsed, const net::HttpResponse& response, Timestamp now,
            SourceBatch& out);
  void discard_stale(const Reading& r);
  void dead_letter(size_t task, const Reject& reject, const std::string& body, SourceBatch& out);
  void update_gauges(Timestamp now);

  std::unique_ptr<Provider> provider_;
  PollerConfig config_;
  int64_t poll_interval_secs_;
  std::vector<config::StationConfig> stations_;
  std::set<std::string> station_ids_;
  ComponentContext ctx_;
  PollMode mode_;
  EngineMetrics metrics_;

  std::vector<FetchTask> tasks_;
  std::vector<TaskPlan> plans_;
  std::vector<TaskState> state_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  size_t finished_ = 0;

  // By quota group; "" is the provider-wide limiter that covers every task.
  std::map<std::string, RateLimiter> limiters_;
  CircuitBreaker breaker_;
  Backoff backoff_;
  std::mt19937_64 rng_;
  Timestamp paused_until_{};
  std::map<std::string, Timestamp> endpoint_paused_until_;

  net::CurlMulti client_;
  std::map<uint64_t, size_t> in_flight_;  // request id -> task
  std::set<std::string> logged_once_;     // "<kind>:<key>" already logged
};

}  // namespace envmon::sources::http
