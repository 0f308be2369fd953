#pragma once

#include <string_view>

#include "core/result.h"
#include "lake/parquet/parquet_table.h"

namespace envmon::lake::parquet {

// Reads a flat Parquet file of the subset write_parquet() produces (the column types of
// ColumnType; PLAIN and RLE_DICTIONARY data pages v1; uncompressed or zstd) into a Table.
// Used by compaction to merge envmon's own files and by tests. Anything else -- nested
// schemas, other encodings or codecs, a damaged file -- is a lake_io error saying what.
Result<Table> read_parquet(std::string_view file);

}  // namespace envmon::lake::parquet
