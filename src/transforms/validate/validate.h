#pragma once

#include <cstddef>
#include <cstdint>

#include "config/schema.h"
#include "core/result.h"
#include "model/reading.h"

namespace envmon::transforms {

// What to do with a reading stamped further in the future than the tolerance allows.
// `flag` keeps it (observed_at unchanged) and sets Flag::clock_skew on every measurement, so the
// suspicion travels with the data; `reject` dead-letters it.
enum class ClockSkewPolicy { flag, reject };

struct ValidateConfig {
  int64_t future_tolerance_secs = 300;
  ClockSkewPolicy clock_skew = ClockSkewPolicy::flag;
};
const config::Schema<ValidateConfig>& validate_schema();

struct ValidateOutcome {
  size_t nulls_dropped = 0;  // null/NaN measurements removed (counted as discarded "null_value")
  bool clock_skew = false;   // observed_at was ahead of ingested_at beyond the tolerance
};

// Checks a decoded raw reading. `station_known` says whether its station is configured.
// An error means the whole reading goes to the dead-letter topic; the message names the field.
// Null values are treated as missing: removed from the reading and reported in the outcome.
Result<ValidateOutcome> validate_reading(Reading& r, bool station_known, const ValidateConfig& cfg);

}  // namespace envmon::transforms
