#include "lake/curated_lake_config.h"

namespace envmon::lake {

const config::Schema<CuratedLakeConfig>& curated_lake_schema() {
  static const config::Schema<CuratedLakeConfig> schema = [] {
    config::Schema<CuratedLakeConfig> s("lake.<type>.curated");
    s.enumeration("format", &CuratedLakeConfig::format, CuratedFormat::parquet,
                  {{"parquet", CuratedFormat::parquet}, {"off", CuratedFormat::off}},
                  "Curated readings as Parquet under curated/date=YYYY-MM-DD/region=<r>/, or none")
        .enumeration("codec", &CuratedLakeConfig::codec, CuratedCodec::zstd,
                     {{"zstd", CuratedCodec::zstd}, {"none", CuratedCodec::none}},
                     "Page compression of the Parquet files")
        .integer("zstd_level", &CuratedLakeConfig::zstd_level, 3, "", 1, 19, "zstd level")
        .integer("row_group_rows", &CuratedLakeConfig::row_group_rows, 128 * 1024, "rows", 1000,
                 10000000, "Rows per Parquet row group (each with min/max/null statistics)")
        .integer("max_file_rows", &CuratedLakeConfig::max_file_rows, 1000000, "rows", 1000,
                 100000000, "Rows per Parquet file, for writes and for compaction")
        .integer("flush_interval_ms", &CuratedLakeConfig::flush_interval_ms, 10000, "ms", 10,
                 3600000, "Buffered curated rows are written (then committed) at least this often")
        .integer("max_uncommitted_messages", &CuratedLakeConfig::max_uncommitted_messages, 20000,
                 "messages", 1, 10000000,
                 "Flush early when this many curated messages wait; keep below the bus "
                 "queue_capacity")
        .integer("compact_min_files", &CuratedLakeConfig::compact_min_files, 8, "files", 2,
                 100000, "Small files in one partition before they are merged into one")
        .integer("compact_small_file_bytes", &CuratedLakeConfig::compact_small_file_bytes,
                 8 << 20, "bytes", 1024, 1LL << 34, "Files below this size are compacted");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> curated_lake_schema_docs() {
  return {{"lake.<type>.curated",
           "Curated lake: cleaned readings as Parquet (one row per measurement) partitioned by "
           "observation date and region, small files compacted",
           curated_lake_schema().specs()}};
}

Result<CuratedLakeConfig> parse_curated_lake_config(const config::Node& settings) {
  CuratedLakeConfig out;
  ENVMON_TRY(config::fill(settings.child("curated"), curated_lake_schema(), out));
  return out;
}

}  // namespace envmon::lake
