#include "sinks/lake_sink.h"

#include <algorithm>

#include "model/codec.h"

namespace envmon::sinks {
namespace {

const std::vector<bus::Topic> kTopics = {bus::Topic::raw};
constexpr const char* kUndecodableSource = "_undecodable";

}  // namespace

LakeSink::LakeSink(ComponentContext ctx, bus::Bus& bus, lake::RawLake& lake, LakeSinkConfig config,
                   std::set<std::string> excluded_sources)
    : ctx_(std::move(ctx)),
      bus_(bus),
      lake_(lake),
      config_(config),
      excluded_sources_(std::move(excluded_sources)) {}

LakeSink::~LakeSink() {
  stop();
}

Status LakeSink::start() {
  if (Status s = lake_.start(); !s.ok())
    return s.error().with_context("lake sink loading checkpoint");
  auto c = bus_.consumer(kGroup, kTopics);
  if (!c.ok()) return c.error().with_context("lake sink subscribing");
  consumer_ = std::move(*c);
  last_flush_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
  ctx_.log.info("started", {{"group", kGroup}});
  return ok_status();
}

void LakeSink::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(drain_mutex_);
    drain_ = DrainTarget(bus_, kTopics);
    drain_deadline_ = std::chrono::steady_clock::now() + Millis(config_.drain_timeout_ms);
  }
  stopping_.store(true);
  thread_.join();
  consumer_->close();
  ctx_.log.info("stopped", {{"undrained", drain_.remaining(bus_, kGroup)},
                            {"skipped_duplicates", lake_.skipped_duplicates()}});
}

bool LakeSink::should_exit() {
  if (!stopping_.load()) return false;
  std::lock_guard lock(drain_mutex_);
  if (pending_messages_ == 0 && drain_.remaining(bus_, kGroup) == 0) return true;
  if (std::chrono::steady_clock::now() < drain_deadline_) return false;
  ctx_.log.warn("drain timed out; uncommitted messages will be re-delivered",
                {{"remaining", drain_.remaining(bus_, kGroup)}});
  return true;
}

bool LakeSink::flush_due() const {
  if (pending_messages_ == 0) return false;
  if (stopping_.load()) return true;
  if (pending_messages_ >= lake_.config().max_uncommitted_messages) return true;
  return std::chrono::steady_clock::now() - last_flush_ >= Millis(lake_.config().flush_interval_ms);
}

void LakeSink::run() {
  while (!should_exit()) {
    const auto since = std::chrono::steady_clock::now() - last_flush_;
    const auto until_flush =
        Millis(lake_.config().flush_interval_ms) - std::chrono::duration_cast<Millis>(since);
    const Millis wait = std::clamp(until_flush, Millis(1), Millis(config_.poll_timeout_ms));
    const int64_t room = lake_.config().max_uncommitted_messages - pending_messages_;
    auto polled = consumer_->poll(
        static_cast<size_t>(std::clamp<int64_t>(room, 1, config_.max_batch_messages)), wait);
    if (!polled.ok()) {
      ctx_.metrics->error("poll", errc_name(polled.error().code()));
      if (polled.error().code() == Errc::bus_closed) break;
      continue;
    }
    ctx_.metrics->received(static_cast<double>(polled->size()));
    for (const bus::Message& m : *polled)
      append(m);
    merge_offsets(pending_, bus::offsets_after(*polled));
    pending_messages_ += static_cast<int64_t>(polled->size());
    if (flush_due()) {
      if (Status s = flush_and_commit(); !s.ok()) {
        ctx_.log.warn("flush abandoned; messages stay uncommitted",
                      {{"error", s.error().to_string()}});
        return;
      }
    }
  }
}

void LakeSink::append(const bus::Message& m) {
  const int64_t skipped_before = lake_.skipped_duplicates();
  Status s = ok_status();
  if (Status d = decode_reading_into(m.payload, scratch_); d.ok()) {
    if (excluded_sources_.count(scratch_.source.get()) > 0) {
      ctx_.metrics->discarded("lake_retention_none");
      return;
    }
    s = lake_.append(scratch_.source.get(), scratch_.station.id.get(), scratch_.ingested_at,
                     m.payload);
  } else {
    // The processor dead-letters it; the lake still keeps what arrived, keyed by bus timestamp.
    ctx_.metrics->error("decode", errc_name(d.error().code()));
    s = lake_.append(kUndecodableSource, m.key, m.timestamp, m.payload);
  }
  if (lake_.skipped_duplicates() > skipped_before) ctx_.metrics->discarded("already_in_lake");
  if (!s.ok()) {
    // The message is buffered; the failed part write is retried by the next flush.
    ctx_.metrics->error("write", errc_name(s.error().code()));
    ctx_.log.warn("lake part write failed; retrying at flush", {{"error", s.error().to_string()}});
  }
}

Status LakeSink::flush_and_commit() {
  Backoff backoff(config_);
  while (true) {
    Status s = lake_.flush();
    if (s.ok()) break;
    ctx_.metrics->error("flush", errc_name(s.error().code()));
    const Millis delay = backoff.next();
    ctx_.log.warn("lake flush failed, retrying",
                  {{"error", s.error().to_string()}, {"delay_ms", delay.count()}});
    if (stopping_.load() && std::chrono::steady_clock::now() >= drain_deadline_) return s;
    std::this_thread::sleep_for(delay);
  }
  last_flush_ = std::chrono::steady_clock::now();
  if (Status c = consumer_->commit(pending_); !c.ok()) {
    ctx_.metrics->error("commit", errc_name(c.error().code()));
    return c;
  }
  ctx_.metrics->sent(static_cast<double>(pending_messages_));
  pending_.clear();
  pending_messages_ = 0;
  return ok_status();
}

}  // namespace envmon::sinks
