#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::lake {

struct RawLakeConfig {
  std::string root = "lake";  // relative paths are resolved against data_dir
  int64_t max_part_bytes =
      8 << 20;  // uncompressed bytes buffered per partition before a part is cut
  int64_t flush_interval_ms =
      10000;  // the lake sink flushes (and then commits) at least this often
  int64_t max_uncommitted_messages = 20000;  // the lake sink flushes when this many are buffered
  int64_t zstd_level = 3;
};

const config::Schema<RawLakeConfig>& raw_lake_schema();
std::vector<config::SchemaDoc> file_lake_schema_docs();
// `other_keys`: keys of the same block that another parser reads (the S3 backend's).
Result<RawLakeConfig> parse_raw_lake_config(const config::Node& settings,
                                            std::vector<std::string> other_keys = {});

}  // namespace envmon::lake
