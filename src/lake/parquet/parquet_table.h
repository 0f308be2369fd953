#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace envmon::lake::parquet {

// The column types envmon writes. Each maps to one Parquet physical + logical type:
//   string       BYTE_ARRAY, STRING (UTF8)
//   int32        INT32
//   int64        INT64
//   timestamp_ms INT64, TIMESTAMP(isAdjustedToUTC=true, MILLIS)
//   float64      DOUBLE
enum class ColumnType : uint8_t { string, int32, int64, timestamp_ms, float64 };
enum class Repetition : uint8_t { required, optional };
// How string values are laid out: a dictionary page + RLE_DICTIONARY indices (low-cardinality
// columns: station, region, metric, source), or PLAIN byte arrays.
enum class StringEncoding : uint8_t { dictionary, plain };

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::string;
  Repetition repetition = Repetition::required;
  StringEncoding encoding = StringEncoding::dictionary;
};

// One column's values, one slot per row in the vector of the column's type (the others stay
// empty). Null rows (optional columns only) have defined == 0 and a placeholder value.
struct ColumnData {
  std::vector<std::string> strings;  // string
  std::vector<int64_t> ints;         // int32, int64, timestamp_ms
  std::vector<double> doubles;       // float64
  std::vector<uint8_t> defined;
};

// A flat table: the schema and its columns, all of `rows` rows.
class Table {
 public:
  Table() = default;
  explicit Table(std::vector<ColumnSpec> schema);
  // Columns decoded elsewhere (the reader): each holds `rows` slots.
  static Table from_columns(std::vector<ColumnSpec> schema, std::vector<ColumnData> columns,
                            size_t rows);

  const std::vector<ColumnSpec>& schema() const { return schema_; }
  const ColumnData& column(size_t i) const { return columns_[i]; }
  size_t rows() const { return rows_; }
  // Index of the column named `name`, or -1.
  int find(std::string_view name) const;

  // Row building: set every column of the row, then end_row(). Unset optional columns are null.
  void set_string(size_t col, std::string_view v);
  void set_int(size_t col, int64_t v);
  void set_double(size_t col, double v);
  void end_row();
  // Appends row `r` of `other` (same schema).
  void append_row(const Table& other, size_t r);
  void reserve(size_t rows);

 private:
  ColumnData& slot(size_t col);
  void push_null(size_t col);

  std::vector<ColumnSpec> schema_;
  std::vector<ColumnData> columns_;
  size_t rows_ = 0;
};

}  // namespace envmon::lake::parquet
