#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/time.h"
#include "model/reading.h"
#include "sources/http/provider.h"

namespace envmon::sources::http {

enum class EdgeVerdict : uint8_t { accept, stale, reject };

struct EdgeResult {
  EdgeVerdict verdict = EdgeVerdict::accept;
  Reject reject;             // when verdict == reject
  size_t nulls_dropped = 0;  // null measurements removed by validation
};

// Checks a provider's reading before it leaves the source: known station, observed_at set and
// not beyond now + 300 s, finite values in convertible units, a lossless codec round trip and
// transforms::validate_reading. `r` is replaced by its decoded, validated form when accepted.
EdgeResult check_reading(Reading& r, const std::set<std::string>& stations, Timestamp now,
                         Seconds stale_after);

}  // namespace envmon::sources::http
