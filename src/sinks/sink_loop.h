#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "sinks/sink_common.h"
#include "sinks/sink_config.h"

namespace envmon::sinks {

// What the loop tells a sink before each poll and flush decision.
struct LoopState {
  int64_t pending_messages = 0;  // taken but not yet committed
  Millis since_flush{0};         // since the last successful flush (or start)
  bool stopping = false;         // stop() was called: flush whatever is pending
};

struct PollLimits {
  size_t max_messages = 1;
  Millis wait{1};
};

// The part of a sink that differs: how polled messages are taken in, when they are written and
// how. Everything else (thread, poll, offsets, commit-after-write, drain, metrics received/sent)
// is the SinkLoop's.
class SinkHandler {
 public:
  virtual ~SinkHandler() = default;
  virtual PollLimits next_poll(const LoopState& state) const = 0;
  // Takes in one non-empty poll (the handler may move messages out of it). Nothing is committed
  // until a later flush() succeeds.
  virtual void take(std::vector<bus::Message>& polled) = 0;
  // Called only while messages are pending.
  virtual bool flush_due(const LoopState& state) const = 0;
  // Writes everything taken since the last flush. An error means the handler gave up (the drain
  // deadline passed): the loop ends and the pending messages stay uncommitted.
  virtual Status flush() = 0;
  // After the flushed messages' offsets are committed (e.g. to invalidate caches).
  virtual void committed() {}
};

// The lake sinks' policy: write at least every `flush_interval_ms`, and as soon as
// `max_uncommitted` messages wait (the in-memory bus retains messages until every group commits,
// so producers are never blocked for long); never poll past the next flush or beyond that bound.
struct FlushBounds {
  int64_t flush_interval_ms;
  int64_t max_uncommitted;
  PollLimits next_poll(const LoopState& state, const SinkConfig& config) const;
  bool flush_due(const LoopState& state) const;
};

// Which errors SinkLoop::retry() retries.
enum class RetryOn : uint8_t {
  retryable,  // a permanent error is returned at once (the store sink isolates the bad message)
  any,        // every error is retried (the lake keeps its buffers; only the deadline stops it)
};

// One consumer-group member on its own thread: poll -> handler.take -> (when due) handler.flush
// -> commit. Offsets are committed only after the flush succeeded (at-least-once). stop() drains
// what was produced on the topics when it was called, up to drain_timeout_ms.
class SinkLoop {
 public:
  // `ctx` and `handler` must outlive the loop; the owner calls stop() before they are destroyed.
  SinkLoop(const ComponentContext& ctx, bus::Bus& bus, const SinkConfig& config, std::string group,
           std::vector<bus::Topic> topics, SinkHandler& handler);
  ~SinkLoop();
  SinkLoop(const SinkLoop&) = delete;
  SinkLoop& operator=(const SinkLoop&) = delete;

  // Subscribes and starts the thread.
  Status start();
  // Drains, joins and leaves the group. Returns the messages of the drain snapshot left
  // uncommitted (0 unless the drain timed out); -1 when the loop was not running.
  int64_t stop();

  // Runs `op` until it succeeds, fails in a way `on` does not retry, or the drain deadline
  // passes (then the last error is returned). Counts errors{stage, errc} and backs off.
  Status retry(std::string_view stage, const std::function<Status()>& op, RetryOn on);
  const SinkConfig& config() const { return config_; }

 private:
  void run();
  bool should_exit();
  bool abandoning() const;
  LoopState state() const;
  // Flushes through the handler, then commits. Err only when the handler gave up.
  Status flush_and_commit();

  const ComponentContext& ctx_;
  bus::Bus& bus_;
  SinkConfig config_;
  std::string group_;
  std::vector<bus::Topic> topics_;
  SinkHandler& handler_;
  std::unique_ptr<bus::Consumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex drain_mutex_;
  DrainTarget drain_;
  std::chrono::steady_clock::time_point drain_deadline_{};
  bus::OffsetMap pending_;
  int64_t pending_messages_ = 0;
  std::chrono::steady_clock::time_point last_flush_{};
};

}  // namespace envmon::sinks
