#include "processor/stream_processor.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <optional>
#include <iterator>
#include <string>
#include <variant>

namespace envmon::processor {
namespace {

// Queued batches per worker before the poller waits. A poll holds mostly one partition's
// records, so a poller waiting on one worker's full inbox starves the other: 2 left the workers
// idle half the time.
constexpr size_t kInboxBatches = 8;
constexpr Millis kBusyPoll{5};       // poll wait while completions may arrive (prompt commits)
constexpr Millis kAckWait{2};  // wait for acknowledgements while the inbox is empty

// Names the calling thread (top, perf and per-thread CPU figures show it); at most 15 chars.
void name_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

struct DropPartition {
  int32_t partition;
};
struct Finish {};
using Task = std::variant<std::vector<bus::Message>, DropPartition, Finish>;

}  // namespace

struct StreamProcessor::Pending {
  uint64_t mark = 0;     // the producer's checkpoint after the batch's outputs
  int64_t outputs = 0;   // counted as sent once acknowledged
  Done done;
};

struct StreamProcessor::Worker {
  int index = 0;
  std::optional<Pending> pending;  // worker thread only: the batch awaiting acknowledgement
  std::unique_ptr<bus::Producer> producer;
  std::unique_ptr<Pipeline> pipeline;
  Output out;
  std::vector<bus::Message> framed;  // the batch's outputs as sent (scratch)
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Task> inbox;

  void push(Task t) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return inbox.size() < kInboxBatches || !std::holds_alternative<
                                         std::vector<bus::Message>>(t); });
    inbox.push_back(std::move(t));
    changed.notify_all();
  }
  Task pop() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return !inbox.empty(); });
    return take(lock);
  }
  std::optional<Task> try_pop() {
    std::unique_lock lock(mutex);
    if (inbox.empty()) return std::nullopt;
    return take(lock);
  }
  Task take(std::unique_lock<std::mutex>&) {
    Task t = std::move(inbox.front());
    inbox.pop_front();
    changed.notify_all();
    return t;
  }
};

StreamProcessor::StreamProcessor(ProcessorConfig cfg, const config::AppConfig& app, bus::Bus& bus,
                                 MetricsRegistry& registry, const Clock& clock)
    : cfg_(std::move(cfg)),
      app_(app),
      bus_(bus),
      ctx_("transform", "processor", "processor", registry, clock) {}

StreamProcessor::~StreamProcessor() {
  stop();
}

Status StreamProcessor::start() {
  bus::ConsumerOptions options;
  options.rebuild_window = Millis(cfg_.runtime.rebuild_window_secs * 1000);
  auto consumer = bus_.consumer("processor", {bus::Topic::raw}, options);
  if (!consumer.ok()) return consumer.error().with_context("processor");
  consumer_ = std::move(*consumer);
  for (int i = 0; i < cfg_.runtime.workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    bus::ProducerOptions producer_options;
    producer_options.delivery = cfg_.runtime.output_delivery == OutputDelivery::ordered
                                    ? bus::ProducerDelivery::ordered
                                    : bus::ProducerDelivery::idempotent;
    producer_options.linger_ms = cfg_.runtime.output_linger_ms;
    auto producer = bus_.producer(producer_options);
    if (!producer.ok())
      return producer.error().with_context("processor worker " + std::to_string(i));
    w->producer = std::move(*producer);
    // Every worker shares the component's counters; each has its own logger prefix.
    ComponentContext wctx = ctx_;
    wctx.log = Logger(ctx_.log.component() + "#" + std::to_string(i));
    w->pipeline = std::make_unique<Pipeline>(cfg_, app_, std::move(wctx));
    if (cfg_.runtime.output_framing == OutputFraming::batch)
      w->out.frame(static_cast<size_t>(cfg_.runtime.output_batch_max_bytes));
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_) {
    worker_threads_.emplace_back([this, wp = w.get()] {
      name_thread("proc-work-" + std::to_string(wp->index));
      work_loop(*wp);
    });
  }
  poller_ = std::thread([this] {
    name_thread("proc-poll");
    poll_loop();
  });
  ctx_.log.info("started",
                {{"workers", cfg_.runtime.workers}, {"poll_batch", cfg_.runtime.poll_batch}});
  return ok_status();
}

void StreamProcessor::stop() {
  stop_.request_stop();
  if (poller_.joinable()) poller_.join();
  if (consumer_) consumer_->close();
  consumer_.reset();
  workers_.clear();
}

// One output; retries back-pressure (bus_full) until it goes through or fails for good.
Status StreamProcessor::send_one(Worker& w, const bus::Message& m) {
  const Millis timeout(cfg_.runtime.send_timeout_ms);
  for (;;) {
    Status s = w.producer->send(m, timeout);
    if (s.ok()) return s;
    ctx_.metrics->error("send", std::string(errc_name(s.error().code())));
    if (!s.error().retryable()) return s;
  }
}

// An output the bus refuses for good (too large for it, invalid) goes to dead-letter with the
// reason, like a raw message the pipeline rejects: the batch can then be committed without
// losing it silently.
Status StreamProcessor::dead_letter_refused(Worker& w, const bus::Message& m, const Error& why) {
  const std::string topic(bus::topic_name(m.topic));
  ctx_.log.error("output dead-lettered",
                 {{"topic", topic}, {"key", m.key}, {"error", why.to_string()}});
  const Error e(why.code(), "the bus refused this " + topic + " record for good: " + why.message());
  return send_one(w, dead_letter_of(m, topic, "send", e, cfg_.runtime.max_message_bytes));
}

// Waits for the acknowledgements; a timeout is retried (librdkafka keeps retrying the records
// until its delivery timeout), a delivery failure or a closed bus is final.
Status StreamProcessor::flush_all(Worker& w) {
  for (;;) {
    Status s = w.producer->flush(Millis(cfg_.runtime.send_timeout_ms));
    if (s.ok() || !s.error().retryable()) return s;
    ctx_.metrics->error("flush", std::string(errc_name(s.error().code())));
  }
}

// Sends every output and waits for the acknowledgements (at the end: the open hours' outputs).
// False when an output could be neither sent nor dead-lettered, or was not acknowledged.
bool StreamProcessor::send_all(Worker& w, Output& out) {
  const auto sent = static_cast<int64_t>(out.size());
  if (!send_outputs(w, out)) return false;
  if (Status s = flush_all(w); !s.ok()) {
    ctx_.log.error("flush failed; batch left uncommitted", {{"error", s.error().to_string()}});
    return false;
  }
  ctx_.metrics->sent(static_cast<double>(sent));
  return true;
}

// Sends every output, framed. False when an output could be neither sent nor dead-lettered (bus
// closed): the batch is then never committed and the group re-reads it.
bool StreamProcessor::send_outputs(Worker& w, Output& out) {
  w.framed.clear();  // already framed by the pipeline (Output::frame)
  for (auto* list : {&out.curated, &out.aggregates, &out.dead_letters})
    std::move(list->begin(), list->end(), std::back_inserter(w.framed));
  out.clear();
  for (const auto& m : w.framed) {
    Status s = send_one(w, m);
    if (!s.ok() && s.error().code() != Errc::bus_closed && m.topic != bus::Topic::dead_letter)
      s = dead_letter_refused(w, m, s.error());
    if (!s.ok()) {
      ctx_.log.error("send failed; batch left uncommitted", {{"error", s.error().to_string()}});
      return false;
    }
  }
  return true;
}

// On a worker: process and send; the batch then awaits its
// acknowledgement while the worker goes on with the next batch.
void StreamProcessor::handle_batch(Worker& w, std::vector<bus::Message>& batch) {
  for (const auto& m : batch)
    w.pipeline->process(m, w.out);
  w.pipeline->flush_metrics();
  // One batch in flight per worker: its processing overlapped the previous batch's
  // acknowledgement, and its outputs leave once that one is in. librdkafka 2.0's idempotent
  // producer sends one request per partition at a time, and its broker thread spins (poll with
  // no timeout) while records wait behind one: sending earlier only burns a core.
  while (w.pending)
    settle(w, kAckWait);
  Pending& p = w.pending.emplace();
  p.outputs = static_cast<int64_t>(w.out.size());
  p.done.sent = send_outputs(w, w.out);
  if (p.done.sent) p.mark = w.producer->checkpoint();
  p.done.offsets = bus::offsets_after(batch);
  for (const auto& m : batch) {
    if (p.done.messages.empty() || p.done.messages.back().first != m.partition)
      p.done.messages.emplace_back(m.partition, 0);
    ++p.done.messages.back().second;
  }
}

// Hands the pending batch to the poller once its outputs are acknowledged (or failed, or were
// never all sent: then as not sent, and the poller holds its partitions before a later batch of
// theirs could be committed). Waits up to `wait` for the acknowledgement.
void StreamProcessor::settle(Worker& w, Millis wait) {
  if (!w.pending) return;
  Pending& p = *w.pending;
  if (p.done.sent) {
    auto acked = w.producer->acknowledged(p.mark, wait);
    if (!acked.ok()) {
      ctx_.metrics->error("flush", std::string(errc_name(acked.error().code())));
      ctx_.log.error("outputs not acknowledged; batch left uncommitted",
                     {{"error", acked.error().to_string()}});
      p.done.sent = false;
    } else if (!*acked) {
      return;
    } else {
      ctx_.metrics->sent(static_cast<double>(p.outputs));
    }
  }
  {
    std::lock_guard lock(done_mutex_);
    done_.push_back(std::move(p.done));
  }
  w.pending.reset();
}

void StreamProcessor::work_loop(Worker& w) {
  for (;;) {
    std::optional<Task> next = w.try_pop();
    if (!next && w.pending) {
      settle(w, kAckWait);
      continue;
    }
    Task t = next ? std::move(*next) : w.pop();
    if (auto* batch = std::get_if<std::vector<bus::Message>>(&t)) {
      handle_batch(w, *batch);
    } else if (auto* drop = std::get_if<DropPartition>(&t)) {
      // The partition moved away: its stations' state goes too (the next owner rebuilds it).
      w.pipeline->drop_partition(drop->partition);
    } else {
      while (w.pending)
        settle(w, Millis(cfg_.runtime.send_timeout_ms));
      w.pipeline->flush_open(w.out);
      send_all(w, w.out);
      return;
    }
  }
}

// On the poller: commits what the workers finished, for partitions this member still owns
// (a revoked partition's offsets belong to its new owner now).
void StreamProcessor::commit_done() {
  std::vector<Done> done;
  {
    std::lock_guard lock(done_mutex_);
    done.swap(done_);
  }
  if (done.empty()) return;
  bus::OffsetMap offsets;
  int64_t messages = 0;
  // In completion order: a partition's batches complete in order (one worker owns it), so a
  // failed batch holds the partition before any later batch of it could be committed.
  for (const Done& d : done) {
    if (!d.sent) {
      hold(d.offsets);
      continue;
    }
    for (const auto& [tp, next] : d.offsets) {
      if (owned_.count(tp.partition) == 0 || held_.count(tp.partition) != 0) continue;
      int64_t& cur = offsets[tp];
      cur = std::max(cur, next);
    }
    for (const auto& [partition, n] : d.messages)
      if (held_.count(partition) == 0) messages += n;
  }
  in_flight_ -= static_cast<int64_t>(done.size());
  if (Status s = consumer_->commit(offsets); !s.ok()) {
    ctx_.log.error("commit failed", {{"error", s.error().to_string()}});
  }
  processed_.fetch_add(messages);
}

void StreamProcessor::hold(const bus::OffsetMap& offsets) {
  for (const auto& [tp, next] : offsets) {
    if (owned_.count(tp.partition) == 0 || !held_.insert(tp.partition).second) continue;
    ctx_.metrics->error("commit", "held");
    ctx_.log.error("outputs not acknowledged: this member commits nothing more on the partition; "
                   "the group re-reads it from the last commit after a restart or rebalance",
                   {{"partition", tp.partition}});
    // A held partition makes no progress while this member lives: report it like a failed
    // consumer, so that the process exits and its restart re-reads the batch.
    std::lock_guard lock(failure_mutex_);
    if (!failure_) {
      failure_ = Error(Errc::io, "outputs of partition " + std::to_string(tp.partition) +
                                     " were not acknowledged; restart to re-read them");
    }
  }
}

bool StreamProcessor::idle() {
  commit_done();
  return in_flight_ == 0;
}

// Splits a poll by partition, in order, onto the owning workers' inboxes.
void StreamProcessor::dispatch(std::vector<bus::Message>& batch) {
  const size_t n = workers_.size();
  std::vector<std::vector<bus::Message>> parts(n);
  for (auto& p : parts)
    p.reserve(batch.size() / n + 1);
  int32_t last = -1;  // a poll returns runs of one partition: one set lookup per run
  for (auto& m : batch) {
    if (m.partition != last) owned_.insert(last = m.partition);
    parts[static_cast<size_t>(m.partition) % n].push_back(std::move(m));
  }
  for (size_t i = 0; i < n; ++i) {
    if (parts[i].empty()) continue;
    ++in_flight_;
    workers_[i]->push(std::move(parts[i]));
  }
}

std::optional<Error> StreamProcessor::failure() const {
  std::lock_guard lock(failure_mutex_);
  return failure_;
}

void StreamProcessor::poll_loop() {
  const auto max = static_cast<size_t>(cfg_.runtime.poll_batch);
  const Millis commit_interval(cfg_.runtime.commit_interval_ms);
  auto next_commit = std::chrono::steady_clock::now();
  for (;;) {
    const bool stopping = stop_.stop_requested();
    // Finished batches are committed together at most every commit_interval_ms: each commit is
    // a broker round trip and a write to its offsets log, per poll it cost the broker more than
    // the records did. A crash then re-reads at most that much more (the sinks are idempotent).
    if (const auto now = std::chrono::steady_clock::now(); stopping || now >= next_commit) {
      commit_done();
      next_commit = now + commit_interval;
    }
    // While draining, a short poll that finds nothing means no raw lag remains.
    Millis timeout(stopping ? std::min<int64_t>(cfg_.runtime.poll_timeout_ms, 20)
                            : cfg_.runtime.poll_timeout_ms);
    if (in_flight_ > 0) timeout = std::min(timeout, kBusyPoll);
    auto batch = consumer_->poll(max, timeout);
    if (!batch.ok()) {
      // The consumer failed for good (the Kafka consumer returns the error again on every later
      // poll). Records it had fetched in that poll are not committed, and no later commit can
      // pass them since this member polls no more: the group re-reads them after a restart.
      ctx_.log.error("poll failed; processor stops consuming",
                     {{"error", batch.error().to_string()}});
      std::lock_guard lock(failure_mutex_);
      failure_ = batch.error();
      break;
    }
    for (const auto& tp : consumer_->take_revoked()) {
      owned_.erase(tp.partition);
      held_.erase(tp.partition);  // its new owner starts from the last commit
      workers_[static_cast<size_t>(tp.partition) % workers_.size()]->push(
          DropPartition{tp.partition});
    }
    if (!batch->empty()) {
      dispatch(*batch);
    } else if (stopping && idle()) {
      break;
    }
  }
  for (auto& w : workers_)
    w->push(Finish{});
  for (auto& t : worker_threads_)
    t.join();
  worker_threads_.clear();
  commit_done();
}

}  // namespace envmon::processor
