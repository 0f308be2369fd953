#include "sinks/parquet_lake/parquet_lake_sink.h"

#include <algorithm>

#include "model/codec.h"

namespace envmon::sinks {

ParquetLakeSink::ParquetLakeSink(ComponentContext ctx, bus::Bus& bus, lake::CuratedLake& lake,
                                 SinkConfig config)
    : ctx_(std::move(ctx)), lake_(lake), loop_(ctx_, bus, config, kGroup, {bus::Topic::curated}, *this) {}

ParquetLakeSink::~ParquetLakeSink() {
  stop();
}

Status ParquetLakeSink::start() {
  if (Status s = lake_.start(); !s.ok())
    return s.error().with_context("curated lake sink loading checkpoint");
  return loop_.start();
}

void ParquetLakeSink::stop() {
  const int64_t undrained = loop_.stop();
  if (undrained < 0) return;
  ctx_.log.info("stopped", {{"undrained", undrained},
                            {"files_written", lake_.files_written()},
                            {"files_compacted", lake_.files_compacted()},
                            {"skipped_duplicates", lake_.skipped_duplicates()}});
}

PollLimits ParquetLakeSink::next_poll(const LoopState& state) const {
  return bounds().next_poll(state, loop_.config());
}

bool ParquetLakeSink::flush_due(const LoopState& state) const {
  return bounds().flush_due(state);
}

FlushBounds ParquetLakeSink::bounds() const {
  return {lake_.config().flush_interval_ms, lake_.config().max_uncommitted_messages};
}

// The processor only publishes readings it encoded; one that does not decode is counted and
// left out (the store sink dead-letters the same message, so it is not lost from view).
void ParquetLakeSink::take(std::vector<bus::Message>& polled) {
  const int64_t skipped_before = lake_.skipped_duplicates();
  int64_t undecodable = 0;
  for (const bus::Message& m : polled) {
    if (Status d = decode_reading_into(m.payload, scratch_); !d.ok()) {
      ++undecodable;
      continue;
    }
    lake_.append(scratch_, m.payload);
  }
  if (undecodable > 0) {
    ctx_.metrics->error("decode", errc_name(Errc::decode_syntax));
    ctx_.metrics->discarded("undecodable", static_cast<double>(undecodable));
  }
  const int64_t duplicates = lake_.skipped_duplicates() - skipped_before;
  if (duplicates > 0) ctx_.metrics->discarded("already_in_lake", static_cast<double>(duplicates));
}

Status ParquetLakeSink::flush() {
  ENVMON_TRY(loop_.retry("flush", [this] { return lake_.flush(); }, RetryOn::any));
  if (Status c = lake_.compact(); !c.ok()) {
    ctx_.metrics->error("compact", errc_name(c.error().code()));
    ctx_.log.warn("compaction failed; retried after the next flush",
                  {{"error", c.error().to_string()}});
  }
  return ok_status();
}

}  // namespace envmon::sinks
