#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "core/time.h"
#include "lake/object_store.h"

namespace envmon::lake {

// Dedupe state shared by the raw and the curated lake: per (source, station), the newest
// ingested_at written and the payload hashes seen at exactly that instant. A message is a
// duplicate when it is older, or equal with a known hash. Sources stamp ingested_at
// non-decreasing per station and the bus keeps a station's messages in order, so this is exact.
class SeriesWatermarks {
 public:
  // True (and nothing changes) for a duplicate; otherwise records the message.
  bool is_duplicate(const std::string& source, const std::string& station, Timestamp ingested_at,
                    const std::string& hash);
  nlohmann::json to_json() const;
  // Reads what to_json() wrote; `what` names the object in errors.
  Status load(const nlohmann::json& marks, const std::string& what);

 private:
  struct Mark {
    Timestamp ingested_at{};
    std::set<std::string> hashes;
  };
  std::map<std::pair<std::string, std::string>, Mark> marks_;
};

// Dedupe checkpoints: <prefix>ckpt-<seq, 12 digits>.json = {"seq", "watermarks"}, write-once
// (an existing one with the same seq counts as written).
Status write_checkpoint(ObjectStore& store, const std::string& prefix, int64_t seq,
                        const SeriesWatermarks& marks);
// Loads the newest checkpoint under `prefix` into `marks` and returns its seq (0: none yet).
// A malformed one is lake_io naming its key.
Result<int64_t> load_checkpoint(ObjectStore& store, const std::string& prefix,
                                SeriesWatermarks& marks);

// A short payload identity for dedupe: 64 bits of SHA-256 are plenty among messages that share
// one (source, station, ingested_at).
std::string payload_hash(std::string_view payload);

}  // namespace envmon::lake
