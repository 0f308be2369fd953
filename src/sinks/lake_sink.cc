#include "sinks/lake_sink.h"

#include <algorithm>
#include <utility>

#include "model/codec.h"

namespace envmon::sinks {
namespace {

constexpr const char* kUndecodableSource = "_undecodable";

}  // namespace

LakeSink::LakeSink(ComponentContext ctx, bus::Bus& bus, lake::RawLake& lake, LakeSinkConfig config,
                   std::set<std::string> excluded_sources)
    : ctx_(std::move(ctx)),
      lake_(lake),
      excluded_sources_(std::move(excluded_sources)),
      loop_(ctx_, bus, config, kGroup, {bus::Topic::raw}, *this) {}

LakeSink::~LakeSink() {
  stop();
}

Status LakeSink::start() {
  if (Status s = lake_.start(); !s.ok())
    return s.error().with_context("lake sink loading checkpoint");
  return loop_.start();
}

void LakeSink::stop() {
  const int64_t undrained = loop_.stop();
  if (undrained < 0) return;
  ctx_.log.info("stopped",
                {{"undrained", undrained}, {"skipped_duplicates", lake_.skipped_duplicates()}});
}

// Never waits past the next flush, never takes more than the lake may hold uncommitted.
PollLimits LakeSink::next_poll(const LoopState& state) const {
  return bounds().next_poll(state, loop_.config());
}

bool LakeSink::flush_due(const LoopState& state) const {
  return bounds().flush_due(state);
}

FlushBounds LakeSink::bounds() const {
  return {lake_.config().flush_interval_ms, lake_.config().max_uncommitted_messages};
}

// Counts are published once per poll: label lookups per message would cost more than the append.
void LakeSink::take(std::vector<bus::Message>& polled) {
  const int64_t skipped_before = lake_.skipped_duplicates();
  int64_t excluded = 0;
  for (const bus::Message& m : polled) {
    if (!append(m)) ++excluded;
  }
  if (excluded > 0) ctx_.metrics->discarded("lake_retention_none", static_cast<double>(excluded));
  const int64_t duplicates = lake_.skipped_duplicates() - skipped_before;
  if (duplicates > 0) ctx_.metrics->discarded("already_in_lake", static_cast<double>(duplicates));
}

bool LakeSink::append(const bus::Message& m) {
  Status s = ok_status();
  if (Status d = decode_reading_into(m.payload, scratch_); d.ok()) {
    if (excluded_sources_.count(scratch_.source.get()) > 0) return false;
    s = lake_.append(scratch_.source.get(), scratch_.station.id.get(), scratch_.ingested_at,
                     m.payload);
  } else {
    // The processor dead-letters it; the lake still keeps what arrived, keyed by bus timestamp.
    ctx_.metrics->error("decode", errc_name(d.error().code()));
    s = lake_.append(kUndecodableSource, m.key, m.timestamp, m.payload);
  }
  if (!s.ok()) {
    // The message is buffered; the failed part write is retried by the next flush.
    ctx_.metrics->error("write", errc_name(s.error().code()));
    ctx_.log.warn("lake part write failed; retrying at flush", {{"error", s.error().to_string()}});
  }
  return true;
}

// The lake keeps unwritten buffers on error, so every error is worth retrying until the deadline.
Status LakeSink::flush() {
  return loop_.retry(
      "flush", [this] { return lake_.flush(); }, RetryOn::any);
}

}  // namespace envmon::sinks
