#pragma once
// Internal to the processor: per-series state and the batched counters of a Pipeline.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/metric.h"
#include "transforms/aggregate/aggregate.h"
#include "transforms/clean/clean.h"
#include "transforms/dedupe/dedupe.h"
#if ENVMON_HAVE_AQI
#include "transforms/aqi/aqi.h"
#endif

namespace envmon::processor {

// State of one (source, station): every metric's series plus the station's AQI inputs.
struct StationState {
  size_t ordinal = 0;  // creation order: a deterministic sort key for outputs
  size_t source = 0;
  size_t station = 0;
  int32_t partition = 0;
  // First observed_at seen in a replay (restart) for this station, INT64_MIN otherwise. Hours
  // before it are only partly replayed, so their aggregates and AQI are not re-emitted.
  int64_t warm_from_ms = INT64_MIN;
  std::array<transforms::DedupeSeries, kMetricCount> dedupe;
  std::array<transforms::CleanSeries, kMetricCount> clean;
  std::array<transforms::AggregateSeries, kMetricCount> aggregate;
  std::array<bool, kMetricCount> conflict_logged{};
  std::array<bool, kMetricCount> too_late_logged{};
#if ENVMON_HAVE_AQI
  transforms::aqi::StationAqi aqi;
#endif
  std::map<int64_t, int32_t> aqi_revision;  // hour -> next revision to emit
  int64_t aqi_last_hour = INT64_MIN;
  std::string aggregate_head;  // its aggregates' encoded head (source and station), once
};

// A station's curated readings begin with the same bytes (source and station block) as long as
// those fields do not change: encoded once, checked per reading.
struct ReadingHead {
  std::string source, name, provider_id;
  double lat = 0, lon = 0;  // compared bit for bit: the bytes depend on the exact value
  std::string bytes;        // empty: not encoded yet
};

// Event-time progress of one source in one bus partition. Watermarks are per partition (as in
// Kafka Streams and Flink): partitions are read at different paces, so one partition running
// ahead must not make another's readings look late.
struct PartitionClock {
  int64_t max_observed_ms = INT64_MIN;
  int64_t watermark_ms = INT64_MIN;  // max observed_at - poll interval (bounded out-of-order)
  int64_t closed_through_ms = INT64_MIN;
};

// One source as seen by this worker: its timing settings and watermarks.
struct SourceState {
  std::string name;
  int64_t poll_ms = 300'000;
  int64_t lateness_ms = 3'600'000;
  std::map<int32_t, PartitionClock> partitions;
  std::vector<StationState*> by_station;  // indexed by station position; null until first seen
  std::vector<StationState*> in_order;    // creation order
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using IndexMap = std::unordered_map<std::string, size_t, StringHash, std::equal_to<>>;

// Counted per message in plain integers, published per batch (flush_metrics).
struct Counters {
  int64_t received = 0;
  int64_t null_value = 0;
  int64_t all_null = 0;
  int64_t duplicate = 0;
  int64_t conflict = 0;
  int64_t too_late = 0;
  int64_t clock_skew = 0;
  std::map<std::pair<std::string, std::string>, int64_t> errors;  // (stage, error_type)
};

}  // namespace envmon::processor
