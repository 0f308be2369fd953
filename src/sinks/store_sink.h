#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "bus/bus.h"
#include "core/component.h"
#include "sinks/sink_config.h"
#include "sinks/sink_loop.h"
#include "store/store.h"

namespace envmon::sinks {

// Consumer group "store" on curated, aggregates and dead-letter: decodes each message into a
// store::WriteBatch, writes it in one transaction and only then commits the offsets
// (at-least-once; the store's idempotent upserts make re-delivery harmless).
// - A message that does not decode becomes a dead_letters row (never dropped).
// - Retryable store errors are retried with exponential backoff, without committing.
// - A permanent error splits the batch to isolate the bad message, which is dead-lettered.
class StoreSink final : private SinkHandler {
 public:
  static constexpr const char* kGroup = "store";

  StoreSink(ComponentContext ctx, bus::Bus& bus, store::Store& store, StoreSinkConfig config,
            std::function<void()> on_committed);
  ~StoreSink() override;
  StoreSink(const StoreSink&) = delete;
  StoreSink& operator=(const StoreSink&) = delete;

  Status start();
  // Drains: returns once everything on the topics when stop() was called is written and
  // committed (or drain_timeout_ms passed), then leaves the group.
  void stop();

 private:
  // Where one taken message's decoded form sits in batch_ (each message is decoded once; a split
  // after a permanent error copies the decoded rows instead of decoding again).
  enum class Kind : uint8_t { reading, aggregate, dead_letter };
  struct Slot {
    Kind kind;
    size_t index;
  };

  // SinkHandler: decode on take, write every poll in one batch.
  PollLimits next_poll(const LoopState& state) const override;
  void take(std::vector<bus::Message>& polled) override;
  bool flush_due(const LoopState& state) const override;
  Status flush() override;
  void committed() override;

  void decode(const bus::Message& m);
  // Writes taken messages [first, last); isolates and dead-letters permanent failures.
  Status write_range(size_t first, size_t last);
  store::WriteBatch sub_batch(size_t first, size_t last) const;
  Status dead_letter_rejected(size_t i, const Error& rejected);
  DeadLetter dead_letter(const bus::Message& m, const Error& e, std::string_view stage) const;
  Status write_with_retry(const store::WriteBatch& batch);

  ComponentContext ctx_;
  store::Store& store_;
  std::function<void()> on_committed_;
  // Taken since the last flush: the messages (kept for dead letters), their decoded rows, and
  // where each message's row is.
  std::vector<bus::Message> msgs_;
  store::WriteBatch batch_;
  std::vector<Slot> slots_;
  SinkLoop loop_;  // last: built after, and stopped before, what its thread uses
};

}  // namespace envmon::sinks
