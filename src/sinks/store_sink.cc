#include "sinks/store_sink.h"

#include <iterator>
#include <string>
#include <utility>

#include "model/codec.h"

namespace envmon::sinks {

StoreSink::StoreSink(ComponentContext ctx, bus::Bus& bus, store::Store& store,
                     StoreSinkConfig config, std::function<void()> on_committed)
    : ctx_(std::move(ctx)),
      store_(store),
      on_committed_(std::move(on_committed)),
      loop_(ctx_, bus, config, kGroup,
            {bus::Topic::curated, bus::Topic::aggregates, bus::Topic::dead_letter}, *this) {}

StoreSink::~StoreSink() {
  stop();
}

Status StoreSink::start() {
  return loop_.start();
}

void StoreSink::stop() {
  const int64_t undrained = loop_.stop();
  if (undrained >= 0) ctx_.log.info("stopped", {{"undrained", undrained}});
}

PollLimits StoreSink::next_poll(const LoopState&) const {
  return {static_cast<size_t>(loop_.config().max_batch_messages),
          Millis(loop_.config().poll_timeout_ms)};
}

// Each poll is written as one batch.
bool StoreSink::flush_due(const LoopState&) const {
  return true;
}

void StoreSink::committed() {
  if (on_committed_) on_committed_();
}

void StoreSink::take(std::vector<bus::Message>& polled) {
  batch_.readings.reserve(batch_.readings.size() + polled.size());
  for (const bus::Message& m : polled)
    decode(m);
  msgs_.insert(msgs_.end(), std::make_move_iterator(polled.begin()),
               std::make_move_iterator(polled.end()));
}

void StoreSink::decode(const bus::Message& m) {
  Status s = ok_status();
  switch (m.topic) {
    case bus::Topic::curated:
      batch_.readings.emplace_back();
      s = decode_reading_into(m.payload, batch_.readings.back());
      if (s.ok()) {
        slots_.push_back({Kind::reading, batch_.readings.size() - 1});
      } else {
        batch_.readings.pop_back();
      }
      break;
    case bus::Topic::aggregates:
      if (auto a = decode_aggregate(m.payload); a.ok()) {
        batch_.aggregates.push_back(std::move(*a));
        slots_.push_back({Kind::aggregate, batch_.aggregates.size() - 1});
      } else {
        s = a.error();
      }
      break;
    case bus::Topic::dead_letter:
      if (auto d = decode_dead_letter(m.payload); d.ok()) {
        batch_.dead_letters.push_back(std::move(*d));
        slots_.push_back({Kind::dead_letter, batch_.dead_letters.size() - 1});
      } else {
        s = d.error();
      }
      break;
    default:
      s = Error(Errc::bus_unknown_topic, "store sink does not read this topic");
  }
  if (!s.ok()) {
    ctx_.metrics->error("decode", errc_name(s.error().code()));
    batch_.dead_letters.push_back(dead_letter(m, s.error(), "sink:" + ctx_.id + ":decode"));
    slots_.push_back({Kind::dead_letter, batch_.dead_letters.size() - 1});
  }
}

Status StoreSink::flush() {
  if (msgs_.empty()) return ok_status();  // only offsets of a failed commit are pending
  ENVMON_TRY(write_range(0, msgs_.size()));
  msgs_.clear();
  slots_.clear();
  batch_.readings.clear();
  batch_.aggregates.clear();
  batch_.dead_letters.clear();
  return ok_status();
}

Status StoreSink::write_range(size_t first, size_t last) {
  const bool whole = first == 0 && last == msgs_.size();
  Status s = whole ? write_with_retry(batch_) : write_with_retry(sub_batch(first, last));
  if (s.ok() || s.error().retryable()) return s;
  if (last - first > 1) {
    const size_t mid = first + (last - first) / 2;
    ENVMON_TRY(write_range(first, mid));
    return write_range(mid, last);
  }
  return dead_letter_rejected(first, s.error());
}

// Copies (rather than re-decodes) the rows of messages [first, last); only a split needs it.
store::WriteBatch StoreSink::sub_batch(size_t first, size_t last) const {
  store::WriteBatch b;
  for (size_t i = first; i < last; ++i) {
    const Slot& slot = slots_[i];
    switch (slot.kind) {
      case Kind::reading:
        b.readings.push_back(batch_.readings[slot.index]);
        break;
      case Kind::aggregate:
        b.aggregates.push_back(batch_.aggregates[slot.index]);
        break;
      case Kind::dead_letter:
        b.dead_letters.push_back(batch_.dead_letters[slot.index]);
        break;
    }
  }
  return b;
}

// One message the store rejects for good: keep it as a dead letter with the reason.
Status StoreSink::dead_letter_rejected(size_t i, const Error& rejected) {
  const bus::Message& m = msgs_[i];
  ctx_.metrics->error("write", errc_name(rejected.code()));
  ctx_.log.warn(
      "message rejected by the store, dead-lettered",
      {{"topic", bus::topic_name(m.topic)}, {"key", m.key}, {"error", rejected.message()}});
  store::WriteBatch dl;
  dl.dead_letters.push_back(dead_letter(m, rejected, "sink:" + ctx_.id));
  Status d = write_with_retry(dl);
  if (!d.ok() && !d.error().retryable()) {
    ctx_.metrics->discarded("store_rejected");
    ctx_.log.error("dead letter rejected too; message dropped", {{"error", d.error().to_string()}});
    return ok_status();
  }
  return d;
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
  return loop_.retry(
      "write", [&] { return store_.write(batch); }, RetryOn::retryable);
}

}  // namespace envmon::sinks
