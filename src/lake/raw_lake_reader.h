#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "lake/object_store.h"

namespace envmon::lake {

// One raw message read back from the lake (see raw_lake.h for the layout the writer produces).
struct RawRecord {
  std::string source;    // from the partition path (source=...), i.e. the writer's sanitized name
  std::string part_key;  // object key of the part it came from (for error messages)
  std::string payload;   // one JSONL line exactly as it was appended (no trailing newline)
};

struct RawScanStats {
  int64_t parts = 0;    // parts verified and visited
  int64_t records = 0;  // records passed to the callback
  int64_t bytes = 0;    // compressed part bytes read from the store (as in the manifests)
};

// Visits every record of the raw lake parts whose hour partition (date=YYYY-MM-DD/hour=HH, the
// hour of ingested_at, UTC) overlaps [from, to), in a deterministic order: by source name, then
// date, hour, then part (first ingest ms, then sequence number: ingest order), then line order.
// `sources` empty = all sources; names are matched after the writer's sanitization ("a/b" finds
// source=a_b). Each part is checked against its manifest (rows, bytes, sha256, part key) before
// any of its records is visited: a missing manifest, a manifest without its part, a mismatch, a
// zstd error or an object path in the range that does not parse is an Error (Errc::lake_io)
// naming the key -- never a silent skip. `fn` returning an error stops the scan with that error.
// to < from is invalid_argument; to == from visits nothing. Filtering records by their exact
// ingested_at is the caller's job (it decodes the payload anyway). One part in memory at a time.
Result<RawScanStats> scan_raw_lake(ObjectStore& store, Timestamp from, Timestamp to,
                                   const std::vector<std::string>& sources,
                                   const std::function<Status(const RawRecord&)>& fn);

// Decompresses a whole zstd part, streaming: frames without a content size, and several
// concatenated frames, are accepted. Output beyond `max_bytes` is an error (a corrupt or hostile
// part must not exhaust memory).
Result<std::string> zstd_decompress_stream(std::string_view compressed, size_t max_bytes);

}  // namespace envmon::lake
