#include "processor/stream_processor.h"

#include <iterator>
#include <string>

namespace envmon::processor {

struct StreamProcessor::Worker {
  int index = 0;
  std::unique_ptr<bus::Consumer> consumer;
  std::unique_ptr<bus::Producer> producer;
  std::unique_ptr<Pipeline> pipeline;
  Output out;
  std::vector<bus::Message> framed;  // the batch's outputs as sent (scratch)
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
  for (int i = 0; i < cfg_.runtime.workers; ++i) {
    auto w = std::make_unique<Worker>();
    w->index = i;
    bus::ConsumerOptions options;
    options.rebuild_window = Millis(cfg_.runtime.rebuild_window_secs * 1000);
    auto consumer = bus_.consumer("processor", {bus::Topic::raw}, options);
    if (!consumer.ok())
      return consumer.error().with_context("processor worker " + std::to_string(i));
    auto producer = bus_.producer();
    if (!producer.ok())
      return producer.error().with_context("processor worker " + std::to_string(i));
    w->consumer = std::move(*consumer);
    w->producer = std::move(*producer);
    // Every worker shares the component's counters; each has its own logger prefix.
    ComponentContext wctx = ctx_;
    wctx.log = Logger(ctx_.log.component() + "#" + std::to_string(i));
    w->pipeline = std::make_unique<Pipeline>(cfg_, app_, std::move(wctx));
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_)
    threads_.emplace_back([this, wp = w.get()] { run(*wp); });
  ctx_.log.info("started",
                {{"workers", cfg_.runtime.workers}, {"poll_batch", cfg_.runtime.poll_batch}});
  return ok_status();
}

void StreamProcessor::stop() {
  stop_.request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  for (auto& w : workers_) {
    if (w->consumer) w->consumer->close();
  }
  workers_.clear();
}

// Sends every output; retries back-pressure (bus_full) until it goes through. False when the
// bus refuses for good (closed): the batch is then not committed and will be re-read.
bool StreamProcessor::send_all(Worker& w, Output& out) {
  const Millis timeout(cfg_.runtime.send_timeout_ms);
  const auto sent = static_cast<int64_t>(out.size());
  w.framed.clear();
  if (cfg_.runtime.output_framing == OutputFraming::batch) {
    const auto max = static_cast<size_t>(cfg_.runtime.output_batch_max_bytes);
    bus::pack_batches(out.curated, max, w.framed);
    bus::pack_batches(out.aggregates, max, w.framed);
  }
  for (auto* list : {&out.curated, &out.aggregates, &out.dead_letters})
    std::move(list->begin(), list->end(), std::back_inserter(w.framed));
  out.clear();
  for (auto& m : w.framed) {
    for (;;) {
      Status s = w.producer->send(m, timeout);
      if (s.ok()) break;
      ctx_.metrics->error("send", std::string(errc_name(s.error().code())));
      if (!s.error().retryable()) {
        ctx_.log.error("send failed; batch left uncommitted", {{"error", s.error().to_string()}});
        return false;
      }
    }
  }
  if (Status s = w.producer->flush(timeout); !s.ok()) {
    ctx_.log.error("flush failed; batch left uncommitted", {{"error", s.error().to_string()}});
    return false;
  }
  ctx_.metrics->sent(static_cast<double>(sent));
  return true;
}

void StreamProcessor::handle_batch(Worker& w, const std::vector<bus::Message>& batch) {
  for (const auto& m : batch)
    w.pipeline->process(m, w.out);
  w.pipeline->flush_metrics();
  if (!send_all(w, w.out)) return;
  if (Status s = w.consumer->commit(bus::offsets_after(batch)); !s.ok()) {
    ctx_.log.error("commit failed", {{"error", s.error().to_string()}});
  }
  processed_.fetch_add(static_cast<int64_t>(batch.size()));
}

void StreamProcessor::run(Worker& w) {
  const auto max = static_cast<size_t>(cfg_.runtime.poll_batch);
  for (;;) {
    const bool stopping = stop_.stop_requested();
    // While draining, a short poll that finds nothing means no raw lag remains for this worker.
    const Millis timeout(stopping ? std::min<int64_t>(cfg_.runtime.poll_timeout_ms, 20)
                                  : cfg_.runtime.poll_timeout_ms);
    auto batch = w.consumer->poll(max, timeout);
    if (!batch.ok()) {
      ctx_.log.warn("poll failed", {{"error", batch.error().to_string()}});
      break;
    }
    // A partition that moved away takes its stations' state along (its next owner rebuilds it).
    for (const auto& tp : w.consumer->take_revoked())
      w.pipeline->drop_partition(tp.partition);
    if (batch->empty()) {
      if (stopping) break;
      continue;
    }
    handle_batch(w, *batch);
  }
  w.pipeline->flush_open(w.out);
  send_all(w, w.out);
}

}  // namespace envmon::processor
