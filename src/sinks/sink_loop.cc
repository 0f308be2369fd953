#include "sinks/sink_loop.h"

#include <algorithm>
#include <utility>

namespace envmon::sinks {

PollLimits FlushBounds::next_poll(const LoopState& state, const SinkConfig& config) const {
  const Millis until_flush = Millis(flush_interval_ms) - state.since_flush;
  const int64_t room = max_uncommitted - state.pending_messages;
  return {static_cast<size_t>(std::clamp<int64_t>(room, 1, config.max_batch_messages)),
          std::clamp(until_flush, Millis(1), Millis(config.poll_timeout_ms))};
}

bool FlushBounds::flush_due(const LoopState& state) const {
  return state.stopping || state.pending_messages >= max_uncommitted ||
         state.since_flush >= Millis(flush_interval_ms);
}

SinkLoop::SinkLoop(const ComponentContext& ctx, bus::Bus& bus, const SinkConfig& config,
                   std::string group, std::vector<bus::Topic> topics, SinkHandler& handler)
    : ctx_(ctx),
      bus_(bus),
      config_(config),
      group_(std::move(group)),
      topics_(std::move(topics)),
      handler_(handler) {}

SinkLoop::~SinkLoop() {
  stop();
}

Status SinkLoop::start() {
  auto c = bus_.consumer(group_, topics_);
  if (!c.ok()) return c.error().with_context(group_ + " sink subscribing");
  consumer_ = std::move(*c);
  last_flush_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
  ctx_.log.info("started", {{"group", group_}});
  return ok_status();
}

int64_t SinkLoop::stop() {
  if (!thread_.joinable()) return -1;
  {
    std::lock_guard lock(drain_mutex_);
    drain_ = DrainTarget(bus_, topics_);
    drain_deadline_ = std::chrono::steady_clock::now() + Millis(config_.drain_timeout_ms);
  }
  stopping_.store(true);
  thread_.join();
  consumer_->close();
  return drain_.remaining(bus_, group_);
}

// The deadline is written before stopping_ is set, so a thread that sees stopping_ sees it too.
bool SinkLoop::abandoning() const {
  return stopping_.load() && std::chrono::steady_clock::now() >= drain_deadline_;
}

bool SinkLoop::should_exit() {
  if (!stopping_.load()) return false;
  std::lock_guard lock(drain_mutex_);
  const int64_t remaining = drain_.remaining(bus_, group_);
  if (pending_messages_ == 0 && remaining == 0) return true;
  if (std::chrono::steady_clock::now() < drain_deadline_) return false;
  ctx_.log.warn("drain timed out; uncommitted messages will be re-delivered",
                {{"remaining", remaining}});
  return true;
}

LoopState SinkLoop::state() const {
  return {pending_messages_,
          std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - last_flush_),
          stopping_.load()};
}

void SinkLoop::run() {
  while (!should_exit()) {
    const PollLimits limits = handler_.next_poll(state());
    auto polled = consumer_->poll(limits.max_messages, limits.wait);
    if (!polled.ok()) {
      ctx_.metrics->error("poll", errc_name(polled.error().code()));
      if (polled.error().code() == Errc::bus_closed) return;
      std::this_thread::sleep_for(Millis(config_.poll_timeout_ms));  // no busy loop on errors
      continue;
    }
    if (!polled->empty()) {
      const auto n = static_cast<int64_t>(polled->size());
      ctx_.metrics->received(static_cast<double>(n));
      merge_offsets(pending_, bus::offsets_after(*polled));  // before take() may move them out
      pending_messages_ += n;
      handler_.take(*polled);
    }
    if (pending_messages_ > 0 && handler_.flush_due(state())) {
      if (Status s = flush_and_commit(); !s.ok()) {
        ctx_.log.warn("batch abandoned uncommitted", {{"error", s.error().to_string()}});
        return;
      }
    }
  }
}

Status SinkLoop::flush_and_commit() {
  ENVMON_TRY(handler_.flush());
  last_flush_ = std::chrono::steady_clock::now();
  if (Status c = consumer_->commit(pending_); !c.ok()) {
    // The data is written; the offsets stay pending and go out with the next commit.
    ctx_.metrics->error("commit", errc_name(c.error().code()));
    ctx_.log.warn("commit failed", {{"error", c.error().to_string()}});
    std::this_thread::sleep_for(Millis(config_.poll_timeout_ms));  // no busy loop on errors
    return ok_status();
  }
  ctx_.metrics->sent(static_cast<double>(pending_messages_));
  pending_.clear();
  pending_messages_ = 0;
  handler_.committed();
  return ok_status();
}

Status SinkLoop::retry(std::string_view stage, const std::function<Status()>& op, RetryOn on) {
  Backoff backoff(config_);
  while (true) {
    Status s = op();
    if (s.ok()) return s;
    if (on == RetryOn::retryable && !s.error().retryable()) return s;
    ctx_.metrics->error(stage, errc_name(s.error().code()));
    const Millis delay = backoff.next();
    ctx_.log.warn(
        "write failed, retrying",
        {{"stage", stage}, {"error", s.error().to_string()}, {"delay_ms", delay.count()}});
    if (abandoning()) return s;
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace envmon::sinks
