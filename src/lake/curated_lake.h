#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "core/time.h"
#include "lake/curated_lake_config.h"
#include "lake/object_store.h"
#include "lake/parquet/parquet_table.h"
#include "lake/watermarks.h"
#include "model/reading.h"

namespace envmon::lake {

// The curated lake: cleaned, enriched readings as Parquet, one row per measurement,
//   curated/date=YYYY-MM-DD/region=<region>/part-<first-observed-ms>-<seq>-<sha8>.parquet
// partitioned by the UTC date of observed_at and the station's region. Columns (flat):
//   source, station, region (nullable), metric, unit: dictionary-encoded strings
//   observed_at, ingested_at: TIMESTAMP(MILLIS, UTC); value, raw: DOUBLE (null when NaN)
//   flags: INT32 (quality bit set, see model/reading.h)
// Parts are written write-once; a dedupe checkpoint per flush (curated/_checkpoints/) makes a
// re-delivered message a no-op (same rule as the raw lake). Small files of a partition are
// merged by compact(): new file first, inputs deleted after, under a write-once intent object
// (curated/_compaction/) that start() completes after a crash, so no row is lost or kept twice.
// Not thread-safe: one sink thread owns it.
class CuratedLake {
 public:
  CuratedLake(ObjectStore& store, CuratedLakeConfig config);

  // Loads the newest checkpoint and completes interrupted compactions.
  Status start();
  // Buffers the reading's measurements (skipped when already in the lake).
  void append(const Reading& r, std::string_view payload);
  // Writes every buffered partition, then the checkpoint. On error the unwritten buffers are
  // kept and the next flush() retries them (a part already written is not written again).
  Status flush();
  // Merges small files in partitions that received compact_min_files files since their last
  // compaction. Safe to call at any time; errors leave everything readable and are retried.
  Status compact();

  const CuratedLakeConfig& config() const { return config_; }
  size_t buffered_rows() const { return buffered_rows_; }
  int64_t skipped_duplicates() const { return skipped_; }
  int64_t files_written() const { return files_written_; }
  int64_t files_compacted() const { return files_compacted_; }

 private:
  using PartitionKey = std::pair<std::string, std::string>;  // date, region (sanitised)

  Status write_part(const PartitionKey& key, const parquet::Table& rows);
  Status write_checkpoint();
  Status compact_partition(const std::string& prefix);
  Status finish_compaction(const std::string& intent_key);
  std::string next_part_key(const std::string& prefix, int64_t first_ms, const std::string& sha);

  ObjectStore& store_;
  CuratedLakeConfig config_;
  std::map<PartitionKey, parquet::Table> buffers_;
  std::map<std::string, int64_t> files_since_compaction_;  // partition prefix -> files
  SeriesWatermarks watermarks_;
  int64_t next_seq_ = 1;
  int64_t checkpointed_seq_ = 0;
  size_t buffered_rows_ = 0;
  int64_t skipped_ = 0;
  int64_t files_written_ = 0;
  int64_t files_compacted_ = 0;
};

// The curated schema, in column order.
const std::vector<parquet::ColumnSpec>& curated_schema();
// "curated/date=YYYY-MM-DD/region=<region>/"; an empty region becomes "_unknown".
std::string curated_partition_prefix(Timestamp observed_at, const std::string& region);

}  // namespace envmon::lake
