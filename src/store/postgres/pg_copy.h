#pragma once
// PostgreSQL's binary COPY format (PGCOPY): a header, one tuple per row (field count, then each
// field as a 4-byte length and its big-endian binary value, -1 for NULL) and a trailer. Fields
// must match the target table's column types exactly; the server rejects anything else.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/time.h"

namespace envmon::store::postgres {

// Microseconds between the unix epoch and PostgreSQL's (2000-01-01T00:00:00Z).
inline constexpr int64_t kPgEpochOffsetUs = 946684800000000;

// `v` as valid PostgreSQL text: NUL becomes "\0" and bytes that are not UTF-8 become U+FFFD.
// For dead letters, which must be storable whatever broke the original row.
std::string storable_text(std::string_view v);

class CopyEncoder {
 public:
  CopyEncoder();
  void begin_row(int16_t fields) { put_be<int16_t>(fields); }
  void text(std::string_view v);  // text, varchar
  void bytea(std::string_view v) { text(v); }
  void int4(int32_t v) {
    put_be<int32_t>(4);
    put_be<int32_t>(v);
  }
  void int8(int64_t v) {
    put_be<int32_t>(8);
    put_be<int64_t>(v);
  }
  void float8(double v);  // NaN -> NULL (a masked value has no number)
  void timestamptz(Timestamp t) { int8(to_unix_ms(t) * 1000 - kPgEpochOffsetUs); }
  void null() { put_be<int32_t>(-1); }
  // Appends the trailer and returns the stream; the encoder is empty again afterwards.
  std::string finish();
  size_t rows() const { return rows_; }
  void count_row() { ++rows_; }

 private:
  template <typename T>
  void put_be(T v) {
    using U = std::make_unsigned_t<T>;
    U u = static_cast<U>(v);
    char b[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i)
      b[i] = static_cast<char>((u >> (8 * (sizeof(T) - 1 - i))) & 0xff);
    buf_.append(b, sizeof(T));
  }
  void reset();
  std::string buf_;
  size_t rows_ = 0;
};

}  // namespace envmon::store::postgres
