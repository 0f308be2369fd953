#include "analytics/anomaly_sink.h"

#include "analytics/anomaly_codec.h"

namespace envmon::analytics {

AnomalySink::AnomalySink(ComponentContext ctx, bus::Bus& bus, store::Store& store,
                         sinks::SinkConfig config, std::function<void()> on_committed)
    : ctx_(std::move(ctx)),
      store_(store),
      on_committed_(std::move(on_committed)),
      loop_(ctx_, bus, config, kGroup, {bus::Topic::anomalies}, *this) {}

AnomalySink::~AnomalySink() {
  stop();
}

Status AnomalySink::start() {
  return loop_.start();
}

void AnomalySink::stop() {
  const int64_t undrained = loop_.stop();
  if (undrained >= 0) ctx_.log.info("stopped", {{"undrained", undrained}});
}

sinks::PollLimits AnomalySink::next_poll(const sinks::LoopState&) const {
  return {static_cast<size_t>(loop_.config().max_batch_messages),
          Millis(loop_.config().poll_timeout_ms)};
}

DeadLetter AnomalySink::dead_letter(const bus::Message& m, const Error& e) const {
  // `at` is the bus timestamp, so a re-delivered message yields the same (deduplicated) row.
  return DeadLetter{"sink:" + ctx_.id, std::string(errc_name(e.code())), e.message(),
                    std::string(bus::topic_name(m.topic)), m.key, m.payload, m.timestamp};
}

void AnomalySink::take(std::vector<bus::Message>& polled) {
  for (auto& m : polled) {
    auto a = decode_anomaly(m.payload);
    if (!a.ok()) {
      ctx_.metrics->error("decode", errc_name(a.error().code()));
      rejects_.dead_letters.push_back(dead_letter(m, a.error()));
      continue;
    }
    records_.push_back(std::move(*a));
    msgs_.push_back(std::move(m));
  }
}

Status AnomalySink::flush() {
  auto write_anomalies = [&] { return store_.write_anomalies(records_); };
  Status s = records_.empty() ? ok_status()
                              : loop_.retry("write", write_anomalies, sinks::RetryOn::retryable);
  if (!s.ok() && s.error().retryable()) return s;  // the drain deadline passed
  if (!s.ok()) ENVMON_TRY(write_one_by_one());
  if (!rejects_.dead_letters.empty()) {
    ENVMON_TRY(loop_.retry("write", [&] { return store_.write(rejects_); }, sinks::RetryOn::retryable));
  }
  msgs_.clear();
  records_.clear();
  rejects_.dead_letters.clear();
  return ok_status();
}

// The store refused the batch for good: find the records it refuses and dead-letter only those.
Status AnomalySink::write_one_by_one() {
  for (size_t i = 0; i < records_.size(); ++i) {
    const std::vector<store::AnomalyRecord> one = {records_[i]};
    Status s = loop_.retry("write", [&] { return store_.write_anomalies(one); },
                           sinks::RetryOn::retryable);
    if (s.ok()) continue;
    if (s.error().retryable()) return s;
    ctx_.log.warn("anomaly rejected by the store, dead-lettered",
                  {{"key", msgs_[i].key}, {"error", s.error().message()}});
    rejects_.dead_letters.push_back(dead_letter(msgs_[i], s.error()));
  }
  return ok_status();
}

}  // namespace envmon::analytics
