#pragma once

#include <set>
#include <string>

#include "core/time.h"
#include "model/reading.h"
#include "sources/http/provider.h"

namespace envmon::sources::http {

// accept: send it. stale: older than stale_after (discarded, counted). reject: dead-letter it.
// empty: every value was null, nothing left to send (the nulls are counted, nothing else).
enum class EdgeVerdict : uint8_t { accept, stale, reject, empty };

struct EdgeResult {
  EdgeVerdict verdict = EdgeVerdict::accept;
  Reject reject;             // when verdict == reject
  size_t nulls_dropped = 0;  // null (NaN) measurements removed by validation
};

// Checks a provider's reading before it leaves the source, so the processor never has to
// dead-letter what the source could have: stamps ingested_at = `now` (the engine received it
// now), then requires observed_at set, no infinite value or raw, every unit convertible, and
// transforms::validate_reading (known station, source set, a measurement, observed_at at most
// 300 s past ingested_at) before the stale test. Null values are dropped and counted, not
// rejected: the other measurements of the reading survive. Everything accepted here encodes
// to a payload the processor decodes (see EdgeCheck.AcceptedReadingsSurviveTheCodec), so no
// codec round trip is needed on this hot path; the source runner encodes once for the bus.
EdgeResult check_reading(Reading& r, const std::set<std::string>& stations, Timestamp now,
                         Seconds stale_after);

}  // namespace envmon::sources::http
