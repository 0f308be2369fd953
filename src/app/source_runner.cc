#include "app/source_runner.h"

#include <algorithm>

#include "model/codec.h"

namespace envmon::app {
namespace {

// How long one blocked send may wait before it is retried (and the stop flag re-checked).
constexpr Millis kSendTimeout{500};
// Longest real-time sleep between stop checks.
constexpr auto kMaxSleep = std::chrono::milliseconds(100);

}  // namespace

SourceRunner::SourceRunner(ComponentContext ctx, std::unique_ptr<sources::Source> source,
                           bus::Bus& bus)
    : ctx_(std::move(ctx)), source_(std::move(source)), bus_(&bus) {}

SourceRunner::~SourceRunner() {
  stop();
}

Status SourceRunner::start(const sources::ResumePoint& resume) {
  auto producer = bus_->producer();
  if (!producer.ok()) return producer.error();
  producer_ = std::move(*producer);
  resume_ = resume;
  ENVMON_TRY(source_->start(resume));
  thread_ = std::thread([this] { loop(); });
  ctx_.log.info("Source started", {{"stations_resumed", resume.size()}});
  return ok_status();
}

void SourceRunner::stop() {
  if (!thread_.joinable()) return;
  stop_.request_stop();
  thread_.join();
  source_->stop();
  ctx_.log.info("Source stopped", {{"readings_sent", sent_.load()}});
}

void SourceRunner::wait_until(Timestamp t) {
  while (!stop_.stop_requested()) {
    const Timestamp now = ctx_.clock->now();
    if (now >= t) return;
    const auto real = ctx_.clock->real_duration(std::chrono::duration_cast<Millis>(t - now));
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(real, kMaxSleep));
    if (real <= std::chrono::steady_clock::duration::zero()) return;
  }
}

void SourceRunner::loop() {
  while (!stop_.stop_requested()) {
    wait_until(source_->next_poll_at());
    if (stop_.stop_requested()) break;
    auto batch = source_->poll();
    if (!batch.ok()) {
      ctx_.metrics->error("poll", std::string(errc_name(batch.error().code())));
      ctx_.log.warn("Poll failed", {{"error", batch.error().to_string()}});
      std::this_thread::sleep_for(kMaxSleep);
      continue;
    }
    if (Status s = publish(*batch); !s.ok()) {
      ctx_.log.warn("Publish interrupted", {{"error", s.error().to_string()}});
      break;
    }
  }
}

Status publish_batch(const sources::SourceBatch& batch, bus::Producer& producer,
                     const std::function<bool(const Reading&)>& is_replay,
                     const std::function<bool()>& stop, ComponentMetrics* metrics,
                     PublishCounts& counts) {
  auto send = [&](bus::Message m) -> Status {
    for (;;) {
      Status s = producer.send(m, kSendTimeout);
      if (s.ok() || !s.error().retryable()) return s;
      // Back-pressure: the bus is full; wait for consumers rather than drop.
      if (metrics) metrics->error("publish", "backpressure");
      if (stop()) return s;
    }
  };
  for (const auto& r : batch.readings) {
    bus::Message m;
    m.topic = bus::Topic::raw;
    m.key = r.station.id.get();
    m.replay = is_replay(r);
    m.payload.reserve(512);
    encode_reading(r, m.payload);
    ENVMON_TRY(send(std::move(m)));
    ++counts.readings;
  }
  for (const auto& d : batch.dead_letters) {
    bus::Message m;
    m.topic = bus::Topic::dead_letter;
    m.key = d.key;
    m.payload = encode_dead_letter(d);
    ENVMON_TRY(send(std::move(m)));
    if (metrics) metrics->discarded(d.stage);
    ++counts.dead_letters;
  }
  return ok_status();
}

Status SourceRunner::publish(const sources::SourceBatch& batch) {
  ctx_.metrics->received(static_cast<double>(batch.readings.size() + batch.dead_letters.size()));
  auto is_replay = [&](const Reading& r) {
    const auto it = resume_.find(r.station.id.get());
    return it != resume_.end() && r.ingested_at <= it->second;
  };
  PublishCounts counts;
  Status s = publish_batch(
      batch, *producer_, is_replay, [&] { return stop_.stop_requested(); }, ctx_.metrics.get(),
      counts);
  sent_.fetch_add(counts.readings, std::memory_order_relaxed);
  ctx_.metrics->sent(static_cast<double>(counts.readings));
  return s;
}

}  // namespace envmon::app
