#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace envmon::lake::parquet {

// The subset of the Thrift compact protocol that Parquet's footer and page headers use
// (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
enum class CType : uint8_t {
  stop = 0,
  bool_true = 1,
  bool_false = 2,
  byte = 3,
  i16 = 4,
  i32 = 5,
  i64 = 6,
  dbl = 7,
  binary = 8,
  list = 9,
  set = 10,
  map = 11,
  strct = 12,
};

// Writes one Thrift struct (possibly nested) into a byte string. Fields must be written in
// increasing id order within each struct: the compact protocol encodes id deltas.
class CompactWriter {
 public:
  void begin_struct() { last_ids_.push_back(0); }
  void end_struct() {
    out_ += '\0';  // stop field
    last_ids_.pop_back();
  }
  void field_i32(int16_t id, int32_t v) {
    header(id, CType::i32);
    varint(zigzag(v));
  }
  void field_i64(int16_t id, int64_t v) {
    header(id, CType::i64);
    varint(zigzag(v));
  }
  void field_byte(int16_t id, int8_t v) {
    header(id, CType::byte);
    out_ += static_cast<char>(v);
  }
  void field_bool(int16_t id, bool v) { header(id, v ? CType::bool_true : CType::bool_false); }
  void field_binary(int16_t id, std::string_view v) {
    header(id, CType::binary);
    binary(v);
  }
  // A struct-valued field: begin_struct() follows, then end_struct().
  void field_struct(int16_t id) {
    header(id, CType::strct);
    begin_struct();
  }
  // A list field: the elements follow (list_i32, list_binary, or begin_struct per element).
  void field_list(int16_t id, CType elem, size_t size);
  void list_i32(int32_t v) { varint(zigzag(v)); }
  void list_binary(std::string_view v) { binary(v); }

  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  static uint64_t zigzag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void varint(uint64_t v);
  void binary(std::string_view v) {
    varint(v.size());
    out_.append(v);
  }
  void header(int16_t id, CType type);

  std::string out_;
  std::vector<int16_t> last_ids_;
};

// A decoded Thrift value: enough structure to read back what CompactWriter wrote (our own
// files, for compaction and tests). Unknown fields are kept, so readers pick what they need.
struct TValue {
  CType type = CType::stop;
  int64_t i = 0;            // bool, byte, i16, i32, i64
  std::string bin;          // binary
  std::vector<TValue> elems;  // list / set
  std::vector<std::pair<int16_t, TValue>> fields;  // struct

  const TValue* field(int16_t id) const;
  int64_t int_field(int16_t id, int64_t fallback = 0) const {
    const TValue* f = field(id);
    return f ? f->i : fallback;
  }
};

// Reads one struct at data[*pos], advancing *pos. Errors name what was malformed.
Result<TValue> read_struct(std::string_view data, size_t* pos);

}  // namespace envmon::lake::parquet
