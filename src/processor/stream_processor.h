#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "config/app_config.h"
#include "core/clock.h"
#include "core/component.h"
#include "core/metrics.h"
#include "processor/pipeline.h"
#include "processor/processor_config.h"

namespace envmon::processor {

// One member of consumer group "processor" on topic raw per process: a poller thread owns the
// consumer and hands each partition's messages to worker `partition % workers`, which owns the
// per-station state of that partition (a station always maps to one partition) and its own
// producer. Outputs go to curated / aggregates / dead-letter; the poller commits a batch's raw
// offsets only after its outputs are acknowledged (at-least-once; replay is deterministic). A
// worker does not wait for that: it processes the next batch meanwhile (one batch in flight). An output the bus refuses for good goes to dead-letter with the reason; a batch
// whose outputs are still not acknowledged holds its partitions' commits (never a silent loss). One member per process, not one per worker: members of one process joining
// one by one made the group rebalance at every start (seconds of stall and a partial rebuild).
class StreamProcessor {
 public:
  StreamProcessor(ProcessorConfig cfg, const config::AppConfig& app, bus::Bus& bus,
                  MetricsRegistry& registry, const Clock& clock);
  ~StreamProcessor();
  StreamProcessor(const StreamProcessor&) = delete;
  StreamProcessor& operator=(const StreamProcessor&) = delete;

  // Joins the group, creates the workers' producers and pipelines, starts the threads.
  Status start();
  // Drains: polls until a poll finds no raw lag, lets the workers finish their batches, flush
  // open hours, send and commit, then returns. Idempotent.
  void stop();
  // Raw messages whose outputs were acknowledged and whose offsets were committed.
  int64_t processed() const { return processed_.load(); }
  // Set when the consumer failed for good and this member stopped consuming, or when a batch's
  // outputs were not acknowledged and its partition is held: the process should exit
  // (non-zero) so that its supervisor restarts it and the group re-reads what was not committed.
  std::optional<Error> failure() const;

 private:
  struct Worker;
  struct Pending;
  struct Done {
    bus::OffsetMap offsets;  // the batch's next offsets per partition
    std::vector<std::pair<int32_t, int64_t>> messages;  // per partition
    bool sent = false;  // false: its outputs were not all acknowledged, so never committed
  };
  void poll_loop();
  void work_loop(Worker& w);
  void dispatch(std::vector<bus::Message>& batch);
  void handle_batch(Worker& w, std::vector<bus::Message>& batch);
  bool send_all(Worker& w, Output& out);
  bool send_outputs(Worker& w, Output& out);
  void settle(Worker& w, Millis wait);
  Status send_one(Worker& w, const bus::Message& m);
  Status dead_letter_refused(Worker& w, const bus::Message& m, const Error& why);
  Status flush_all(Worker& w);
  void commit_done();
  void hold(const bus::OffsetMap& offsets);
  bool idle();

  ProcessorConfig cfg_;
  config::AppConfig app_;
  bus::Bus& bus_;
  ComponentContext ctx_;
  std::unique_ptr<bus::Consumer> consumer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> worker_threads_;
  std::thread poller_;
  StopToken stop_;
  std::atomic<int64_t> processed_{0};
  mutable std::mutex failure_mutex_;
  std::optional<Error> failure_;
  // Batches handed to workers and not yet committed; completions wait in done_ for the poller.
  std::mutex done_mutex_;
  std::vector<Done> done_;
  int64_t in_flight_ = 0;      // poller thread only
  std::set<int32_t> owned_;    // poller thread only: partitions assigned to this member
  // Poller thread only: partitions with a batch whose outputs were not acknowledged. Nothing
  // past that batch is committed while this member owns them, so the group re-reads it.
  std::set<int32_t> held_;
};

}  // namespace envmon::processor
