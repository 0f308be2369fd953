#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/named_type.h"
#include "core/time.h"
#include "model/metric.h"

namespace envmon {

using StationId = NamedType<std::string, struct StationIdTag>;
using SourceId = NamedType<std::string, struct SourceIdTag>;

inline constexpr int kSchemaVersion = 1;

// Quality flags, a bit set per measurement. Every change the cleaner makes sets one: never silent.
enum class Flag : uint16_t {
  none = 0,
  out_of_bounds = 1 << 0,  // outside the metric's physical bounds: masked
  spike = 1 << 1,          // sudden jump against the rolling median: masked
  outlier = 1 << 2,        // robust z-score (median/MAD) too large: masked
  stuck = 1 << 3,          // same value repeated too long: masked
  interpolated = 1 << 4,   // value filled by linear interpolation of a short gap
  late = 1 << 5,           // arrived after newer readings of the same series
  converted = 1 << 6,      // unit normalised from a non-canonical unit
  derived = 1 << 7,        // computed by envmon (AQI), not observed
  clock_skew = 1 << 8,     // observed_at corrected or suspicious relative to ingest time
};
using FlagSet = uint16_t;
inline constexpr FlagSet kMaskingFlags = static_cast<FlagSet>(Flag::out_of_bounds) |
                                         static_cast<FlagSet>(Flag::spike) |
                                         static_cast<FlagSet>(Flag::outlier) |
                                         static_cast<FlagSet>(Flag::stuck);
inline bool has_flag(FlagSet s, Flag f) { return (s & static_cast<FlagSet>(f)) != 0; }
inline void set_flag(FlagSet& s, Flag f) { s = static_cast<FlagSet>(s | static_cast<FlagSet>(f)); }
inline bool is_masked(FlagSet s) { return (s & kMaskingFlags) != 0; }
std::string_view flag_name(Flag f);
std::optional<Flag> parse_flag(std::string_view name);
std::vector<Flag> all_flags();

struct StationRef {
  StationId id;
  std::string name;
  double lat = 0;
  double lon = 0;
  // The provider's own id of the station that answered (WAQI "@-372382", OWM city id), kept for
  // provenance: a geo query can be served by a station kilometres away. Empty for the simulator.
  std::string provider_id = {};
};

struct Measurement {
  Metric metric = Metric::temperature;
  // Canonical unit. NaN when the value is masked and not (yet) filled; `raw` keeps what arrived.
  double value = 0;
  double raw = std::nan("");  // only set when it differs from value (masked, converted)
  std::string unit;           // raw readings only: unit as sent; empty once normalised
  FlagSet flags = 0;
};

// Enrichment added by the processor; absent on raw readings.
struct Enrichment {
  std::string region;
  std::string timezone;
  int32_t utc_offset_secs = 0;
  std::string local_time;  // RFC 3339 with the local offset, for people and calendar features
};

// One reading: a station's measurements at one instant, from one source.
struct Reading {
  SourceId source;
  StationRef station;
  Timestamp observed_at{};
  Timestamp ingested_at{};
  std::vector<Measurement> measurements;
  std::optional<Enrichment> enrichment;
};

// An hourly (or other bucket) aggregate of one series, revised when late data arrives.
struct Aggregate {
  SourceId source;
  StationId station;
  Metric metric = Metric::temperature;
  Timestamp bucket_start{};
  Seconds bucket{3600};
  double mean = 0;
  double min = 0;
  double max = 0;
  int64_t count = 0;
  int32_t revision = 0;       // 0 for the first emission; +1 for every late-data revision
  std::string dominant;       // AQI aggregates: the pollutant that set the index
};

// A message that could not be processed: the original payload is kept with the reason.
struct DeadLetter {
  std::string stage;          // decode, validate, normalize, dedupe, aggregate, sink:<name>
  std::string error_code;     // errc_name()
  std::string reason;         // human-readable, names the field that is wrong
  std::string topic;          // where the payload came from
  std::string key;
  std::string payload;        // the original bytes, untouched
  Timestamp at{};
};

}  // namespace envmon
