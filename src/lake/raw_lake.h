#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "config/node.h"
#include "core/result.h"
#include "core/time.h"
#include "lake/object_store.h"
#include "lake/raw_lake_config.h"
#include "lake/watermarks.h"

namespace envmon::lake {

// The raw lake: every raw message as it arrived, in immutable zstd-compressed JSONL parts
//   raw/source=<src>/date=YYYY-MM-DD/hour=HH/part-<first-ingest-ms>-<seq>-<sha8>.jsonl.zst
// partitioned by the hour of ingested_at, each with a write-once manifest
//   raw/source=<src>/date=YYYY-MM-DD/hour=HH/_manifest/part-....json  {rows, bytes, sha256, ...}
// and a write-once dedupe checkpoint per flush (raw/_checkpoints/ckpt-<seq>.json).
// Not thread-safe: one sink thread owns it. See src/lake/README.md for the guarantees.
class RawLake {
 public:
  RawLake(ObjectStore& store, RawLakeConfig config);
  // Owns the object store (what make_file_lake returns).
  RawLake(std::unique_ptr<ObjectStore> store, RawLakeConfig config);

  // Loads the newest dedupe checkpoint. Call once before the first append.
  Status start();

  // Buffers one raw message. A message not newer than what the lake already holds for
  // (source, station) -- older ingested_at, or the same ingested_at and payload hash -- is
  // skipped and counted (see skipped_duplicates()). Writes a part when a partition's buffer
  // reaches max_part_bytes.
  Status append(const std::string& source, const std::string& station, Timestamp ingested_at,
                std::string_view payload_json);
  // Without a station: dedupe per source only.
  Status append(const std::string& source, Timestamp ingested_at, std::string_view payload_json);

  // Writes every buffered partition as a part (+ manifest), then the checkpoint. On error the
  // unwritten buffers are kept, so calling flush() again retries them.
  Status flush();

  size_t buffered_rows() const { return buffered_rows_; }
  size_t buffered_bytes() const { return buffered_bytes_; }
  int64_t skipped_duplicates() const { return skipped_; }
  int64_t parts_written() const { return parts_written_; }
  const RawLakeConfig& config() const { return config_; }
  // The object store the lake writes to (the curated lake shares it).
  ObjectStore& store() { return store_; }

 private:
  struct Buffer {
    std::string data;  // JSONL
    int64_t rows = 0;
    Timestamp first{};
    Timestamp last{};
  };
  using PartitionKey = std::pair<std::string, int64_t>;  // source, hour start (unix ms)

  Status write_part(const PartitionKey& key, const Buffer& buffer);
  Status write_checkpoint();

  std::unique_ptr<ObjectStore> owned_;
  ObjectStore& store_;
  RawLakeConfig config_;
  std::map<PartitionKey, Buffer> buffers_;
  SeriesWatermarks watermarks_;
  int64_t next_seq_ = 1;
  int64_t checkpointed_seq_ = 0;
  size_t buffered_rows_ = 0;
  size_t buffered_bytes_ = 0;
  int64_t skipped_ = 0;
  int64_t parts_written_ = 0;
};

// The file lake: a RawLake over make_file_object_store(<data_dir>/<root>). No I/O here.
Result<std::unique_ptr<RawLake>> make_file_lake(const config::Node& settings,
                                                const std::string& data_dir);

// Decompresses one zstd frame (lake readers, tests).
Result<std::string> zstd_decompress(std::string_view compressed);
Result<std::string> zstd_compress(std::string_view data, int level);

// "raw/source=<src>/date=YYYY-MM-DD/hour=HH/" for an ingest time. Characters outside
// [A-Za-z0-9._-] in the source name become '_'.
std::string raw_partition_prefix(const std::string& source, Timestamp ingested_at);

// A key segment: characters outside [A-Za-z0-9._-] become '_' (empty -> "_").
std::string safe_segment(const std::string& s);
// `v` zero-padded to `width` digits, so key order is numeric order.
std::string padded(int64_t v, int width);

}  // namespace envmon::lake
