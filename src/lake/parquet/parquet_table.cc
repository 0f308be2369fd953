#include "lake/parquet/parquet_table.h"

#include <stdexcept>

namespace envmon::lake::parquet {

Table::Table(std::vector<ColumnSpec> schema)
    : schema_(std::move(schema)), columns_(schema_.size()) {}

Table Table::from_columns(std::vector<ColumnSpec> schema, std::vector<ColumnData> columns,
                         size_t rows) {
  Table t(std::move(schema));
  t.columns_ = std::move(columns);
  t.rows_ = rows;
  return t;
}

int Table::find(std::string_view name) const {
  for (size_t i = 0; i < schema_.size(); ++i) {
    if (schema_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// The row being built is the last slot of each vector: created on first use, so set_* may come
// in any order and columns left unset stay null.
ColumnData& Table::slot(size_t col) {
  ColumnData& c = columns_.at(col);
  if (c.defined.size() == rows_) push_null(col);
  c.defined.back() = 1;
  return c;
}

// Only the vector of the column's type holds values: a table of a million rows stays small.
void Table::push_null(size_t col) {
  ColumnData& c = columns_[col];
  c.defined.push_back(0);
  switch (schema_[col].type) {
    case ColumnType::string: c.strings.emplace_back(); break;
    case ColumnType::float64: c.doubles.push_back(0); break;
    default: c.ints.push_back(0); break;
  }
}

void Table::set_string(size_t col, std::string_view v) {
  slot(col).strings.back().assign(v);
}
void Table::set_int(size_t col, int64_t v) {
  slot(col).ints.back() = v;
}
void Table::set_double(size_t col, double v) {
  slot(col).doubles.back() = v;
}

void Table::end_row() {
  for (size_t i = 0; i < columns_.size(); ++i) {
    ColumnData& c = columns_[i];
    if (c.defined.size() == rows_) {
      if (schema_[i].repetition == Repetition::required) {
        // A broken invariant of the caller, not bad input: every required column is set.
        throw std::logic_error("parquet table: required column '" + schema_[i].name + "' not set");
      }
      push_null(i);
    }
  }
  ++rows_;
}

void Table::append_row(const Table& other, size_t r) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    const ColumnData& src = other.columns_[i];
    ColumnData& dst = columns_[i];
    dst.defined.push_back(src.defined[r]);
    switch (schema_[i].type) {
      case ColumnType::string: dst.strings.push_back(src.strings[r]); break;
      case ColumnType::float64: dst.doubles.push_back(src.doubles[r]); break;
      default: dst.ints.push_back(src.ints[r]); break;
    }
  }
  ++rows_;
}

void Table::reserve(size_t rows) {
  for (ColumnData& c : columns_) {
    c.defined.reserve(rows);
  }
}

}  // namespace envmon::lake::parquet
