#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::lake {

enum class CuratedFormat : uint8_t { parquet, off };
enum class CuratedCodec : uint8_t { zstd, none };

// `curated:` inside the lake's type block (lake.file.curated, lake.s3.curated).
struct CuratedLakeConfig {
  CuratedFormat format = CuratedFormat::parquet;
  CuratedCodec codec = CuratedCodec::zstd;
  int64_t zstd_level = 3;
  int64_t row_group_rows = 128 * 1024;
  int64_t max_file_rows = 1000000;  // a partition buffer is cut into a file at this many rows
  int64_t flush_interval_ms = 10000;
  int64_t max_uncommitted_messages = 20000;
  int64_t compact_min_files = 8;  // small files in a partition before they are merged
  int64_t compact_small_file_bytes = 8 << 20;
};

const config::Schema<CuratedLakeConfig>& curated_lake_schema();
std::vector<config::SchemaDoc> curated_lake_schema_docs();
// Parses `settings.curated` (absent: defaults).
Result<CuratedLakeConfig> parse_curated_lake_config(const config::Node& settings);

}  // namespace envmon::lake
