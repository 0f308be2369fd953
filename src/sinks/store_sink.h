#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "sinks/sink_common.h"
#include "sinks/sink_config.h"
#include "store/store.h"

namespace envmon::sinks {

// Consumer group "store" on curated, aggregates and dead-letter: decodes each message into a
// store::WriteBatch, writes it in one transaction and only then commits the offsets
// (at-least-once; the store's idempotent upserts make re-delivery harmless).
// - A message that does not decode becomes a dead_letters row (never dropped).
// - Retryable store errors are retried with exponential backoff, without committing.
// - A permanent error splits the batch to isolate the bad message, which is dead-lettered.
class StoreSink {
 public:
  static constexpr const char* kGroup = "store";

  StoreSink(ComponentContext ctx, bus::Bus& bus, store::Store& store, StoreSinkConfig config,
            std::function<void()> on_committed);
  ~StoreSink();
  StoreSink(const StoreSink&) = delete;
  StoreSink& operator=(const StoreSink&) = delete;

  Status start();
  // Drains: returns once everything on the topics when stop() was called is written and
  // committed (or drain_timeout_ms passed), then leaves the group.
  void stop();

 private:
  void run();
  bool should_exit();
  // Writes messages [first, last) in one batch; isolates and dead-letters permanent failures.
  Status write_range(const std::vector<bus::Message>& msgs, size_t first, size_t last);
  store::WriteBatch build_batch(const std::vector<bus::Message>& msgs, size_t first, size_t last);
  void decode_into(const bus::Message& m, store::WriteBatch& batch);
  DeadLetter dead_letter(const bus::Message& m, const Error& e, std::string_view stage) const;
  // Retries retryable errors until success, a permanent error, or the drain deadline.
  Status write_with_retry(const store::WriteBatch& batch);
  bool abandoning() const;

  ComponentContext ctx_;
  bus::Bus& bus_;
  store::Store& store_;
  StoreSinkConfig config_;
  std::function<void()> on_committed_;
  std::unique_ptr<bus::Consumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex drain_mutex_;
  DrainTarget drain_;
  std::chrono::steady_clock::time_point drain_deadline_{};
};

}  // namespace envmon::sinks
