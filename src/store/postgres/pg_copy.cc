#include "store/postgres/pg_copy.h"

#include <bit>
#include <cmath>
#include <type_traits>

namespace envmon::store::postgres {

namespace {

// Length of the valid UTF-8 sequence starting at p[0] (0 when invalid).
size_t utf8_length(std::string_view v, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(v[i + k]); };
  const auto cont = [&](size_t k) { return i + k < v.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F)) return 0;  // overlong, surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) > 0x8F)) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string storable_text(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size();) {
    const size_t n = v[i] == '\0' ? 0 : utf8_length(v, i);
    if (n == 0) {
      out += v[i] == '\0' ? "\\0" : "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(v.substr(i, n));
      i += n;
    }
  }
  return out;
}

CopyEncoder::CopyEncoder() { reset(); }

void CopyEncoder::reset() {
  buf_.clear();
  rows_ = 0;
  // Signature, flags (no OIDs), header extension length.
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
  buf_.append(kSignature, 11);
  put_be<int32_t>(0);
  put_be<int32_t>(0);
}

void CopyEncoder::text(std::string_view v) {
  put_be<int32_t>(static_cast<int32_t>(v.size()));
  buf_.append(v);
}

void CopyEncoder::float8(double v) {
  if (std::isnan(v)) return null();
  put_be<int32_t>(8);
  put_be<int64_t>(std::bit_cast<int64_t>(v));
}

std::string CopyEncoder::finish() {
  put_be<int16_t>(-1);
  std::string out = std::move(buf_);
  reset();
  return out;
}

}  // namespace envmon::store::postgres
