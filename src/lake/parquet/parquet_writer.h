#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "lake/parquet/parquet_table.h"

namespace envmon::lake::parquet {

enum class Codec : uint8_t { uncompressed, zstd };

struct WriterOptions {
  Codec codec = Codec::zstd;
  int zstd_level = 3;
  int64_t row_group_rows = 128 * 1024;  // rows per row group (one data page per column chunk)
  // Above this many distinct values a dictionary column falls back to PLAIN for that chunk.
  int64_t max_dictionary_entries = 1 << 16;
};

// Writes `table` as one Parquet file (format 2.x footer, data pages v1) and returns its bytes.
// Per column chunk: a dictionary page + RLE_DICTIONARY indices, or PLAIN values; definition
// levels (RLE) for optional columns; pages compressed with the codec; statistics min_value,
// max_value and null_count; TYPE_ORDER column orders so readers trust the statistics.
// Implemented against the Apache Parquet format specification (parquet.thrift, Encodings.md).
Result<std::string> write_parquet(const Table& table, const WriterOptions& options);

}  // namespace envmon::lake::parquet
