#include "sinks/store_sink.h"

#include "model/codec.h"

namespace envmon::sinks {
namespace {

const std::vector<bus::Topic> kTopics = {bus::Topic::curated, bus::Topic::aggregates,
                                         bus::Topic::dead_letter};

}  // namespace

StoreSink::StoreSink(ComponentContext ctx, bus::Bus& bus, store::Store& store,
                     StoreSinkConfig config, std::function<void()> on_committed)
    : ctx_(std::move(ctx)),
      bus_(bus),
      store_(store),
      config_(config),
      on_committed_(std::move(on_committed)) {}

StoreSink::~StoreSink() {
  stop();
}

Status StoreSink::start() {
  auto c = bus_.consumer(kGroup, kTopics);
  if (!c.ok()) return c.error().with_context("store sink subscribing");
  consumer_ = std::move(*c);
  thread_ = std::thread([this] { run(); });
  ctx_.log.info("started", {{"group", kGroup}});
  return ok_status();
}

void StoreSink::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(drain_mutex_);
    drain_ = DrainTarget(bus_, kTopics);
    drain_deadline_ = std::chrono::steady_clock::now() + Millis(config_.drain_timeout_ms);
  }
  stopping_.store(true);
  thread_.join();
  consumer_->close();
  ctx_.log.info("stopped", {{"undrained", drain_.remaining(bus_, kGroup)}});
}

bool StoreSink::abandoning() const {
  return stopping_.load() && std::chrono::steady_clock::now() >= drain_deadline_;
}

bool StoreSink::should_exit() {
  if (!stopping_.load()) return false;
  std::lock_guard lock(drain_mutex_);
  if (drain_.remaining(bus_, kGroup) == 0) return true;
  if (std::chrono::steady_clock::now() < drain_deadline_) return false;
  ctx_.log.warn("drain timed out; uncommitted messages will be re-delivered",
                {{"remaining", drain_.remaining(bus_, kGroup)}});
  return true;
}

void StoreSink::run() {
  while (!should_exit()) {
    auto polled = consumer_->poll(static_cast<size_t>(config_.max_batch_messages),
                                  Millis(config_.poll_timeout_ms));
    if (!polled.ok()) {
      ctx_.metrics->error("poll", errc_name(polled.error().code()));
      if (polled.error().code() == Errc::bus_closed) return;
      std::this_thread::sleep_for(Millis(config_.poll_timeout_ms));
      continue;
    }
    if (polled->empty()) continue;
    ctx_.metrics->received(static_cast<double>(polled->size()));
    if (Status s = write_range(*polled, 0, polled->size()); !s.ok()) {
      // Only the drain deadline ends retrying: the batch stays uncommitted and is re-delivered.
      ctx_.log.warn("batch abandoned uncommitted", {{"error", s.error().to_string()}});
      return;
    }
    if (Status s = consumer_->commit(bus::offsets_after(*polled)); !s.ok()) {
      ctx_.metrics->error("commit", errc_name(s.error().code()));
      ctx_.log.warn("commit failed", {{"error", s.error().to_string()}});
      continue;
    }
    ctx_.metrics->sent(static_cast<double>(polled->size()));
    if (on_committed_) on_committed_();
  }
}

Status StoreSink::write_range(const std::vector<bus::Message>& msgs, size_t first, size_t last) {
  const store::WriteBatch batch = build_batch(msgs, first, last);
  Status s = write_with_retry(batch);
  if (s.ok() || s.error().retryable()) return s;
  if (last - first > 1) {
    const size_t mid = first + (last - first) / 2;
    ENVMON_TRY(write_range(msgs, first, mid));
    return write_range(msgs, mid, last);
  }
  // One message the store rejects for good: keep it as a dead letter with the reason.
  ctx_.metrics->error("write", errc_name(s.error().code()));
  ctx_.log.warn("message rejected by the store, dead-lettered",
                {{"topic", bus::topic_name(msgs[first].topic)},
                 {"key", msgs[first].key},
                 {"error", s.error().message()}});
  store::WriteBatch dl;
  dl.dead_letters.push_back(dead_letter(msgs[first], s.error(), "sink:" + ctx_.id));
  Status d = write_with_retry(dl);
  if (!d.ok() && !d.error().retryable()) {
    ctx_.metrics->discarded("store_rejected");
    ctx_.log.error("dead letter rejected too; message dropped", {{"error", d.error().to_string()}});
    return ok_status();
  }
  return d;
}

store::WriteBatch StoreSink::build_batch(const std::vector<bus::Message>& msgs, size_t first,
                                         size_t last) {
  store::WriteBatch batch;
  batch.readings.reserve(last - first);
  for (size_t i = first; i < last; ++i)
    decode_into(msgs[i], batch);
  return batch;
}

void StoreSink::decode_into(const bus::Message& m, store::WriteBatch& batch) {
  Status s = ok_status();
  switch (m.topic) {
    case bus::Topic::curated:
      batch.readings.emplace_back();
      s = decode_reading_into(m.payload, batch.readings.back());
      if (!s.ok()) batch.readings.pop_back();
      break;
    case bus::Topic::aggregates:
      if (auto a = decode_aggregate(m.payload); a.ok()) {
        batch.aggregates.push_back(std::move(*a));
      } else {
        s = a.error();
      }
      break;
    case bus::Topic::dead_letter:
      if (auto d = decode_dead_letter(m.payload); d.ok()) {
        batch.dead_letters.push_back(std::move(*d));
      } else {
        s = d.error();
      }
      break;
    default:
      s = Error(Errc::bus_unknown_topic, "store sink does not read this topic");
  }
  if (!s.ok()) {
    ctx_.metrics->error("decode", errc_name(s.error().code()));
    batch.dead_letters.push_back(dead_letter(m, s.error(), "sink:" + ctx_.id + ":decode"));
  }
}

DeadLetter StoreSink::dead_letter(const bus::Message& m, const Error& e,
                                  std::string_view stage) const {
  // `at` is the bus timestamp, so a re-delivered message yields the same (deduplicated) row.
  return DeadLetter{std::string(stage),
                    std::string(errc_name(e.code())),
                    e.message(),
                    std::string(bus::topic_name(m.topic)),
                    m.key,
                    m.payload,
                    m.timestamp};
}

Status StoreSink::write_with_retry(const store::WriteBatch& batch) {
  Backoff backoff(config_);
  while (true) {
    Status s = store_.write(batch);
    if (s.ok() || !s.error().retryable()) return s;
    ctx_.metrics->error("write", "retryable");
    const Millis delay = backoff.next();
    ctx_.log.warn("store write failed, retrying",
                  {{"error", s.error().to_string()}, {"delay_ms", delay.count()}});
    if (abandoning()) return s;
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace envmon::sinks
