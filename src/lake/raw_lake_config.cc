#include "lake/raw_lake_config.h"

namespace envmon::lake {

const config::Schema<RawLakeConfig>& raw_lake_schema() {
  static const config::Schema<RawLakeConfig> schema = [] {
    config::Schema<RawLakeConfig> s("lake.file");
    s.string("root", &RawLakeConfig::root, std::string("lake"),
             "Lake directory; a relative path is resolved against data_dir")
        .integer("max_part_bytes", &RawLakeConfig::max_part_bytes, 8 << 20, "bytes", 1024,
                 1LL << 32, "Uncompressed JSONL bytes per partition before a part is written")
        .integer("flush_interval_ms", &RawLakeConfig::flush_interval_ms, 10000, "ms", 10, 3600000,
                 "Buffered raw messages are written (and their bus offsets committed) at least "
                 "this often")
        .integer("max_uncommitted_messages", &RawLakeConfig::max_uncommitted_messages, 20000,
                 "messages", 1, 10000000,
                 "The lake sink flushes early when this many messages wait, so the bus's "
                 "retention never blocks producers; keep it below bus queue_capacity")
        .integer("zstd_level", &RawLakeConfig::zstd_level, 3, "", 1, 19,
                 "zstd compression level of the parts");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> file_lake_schema_docs() {
  return {{"lake.file",
           "Raw lake on a local directory: immutable zstd JSONL parts partitioned by source, date "
           "and hour of ingestion, with a manifest per part",
           raw_lake_schema().specs()}};
}

Result<RawLakeConfig> parse_raw_lake_config(const config::Node& settings,
                                            std::vector<std::string> other_keys) {
  RawLakeConfig out;
  other_keys.push_back("curated");
  ENVMON_TRY(config::fill(settings, raw_lake_schema(), out, other_keys));
  if (out.root.empty())
    return settings.child("root").error(Errc::config_bad_value, "must not be empty");
  return out;
}

}  // namespace envmon::lake
