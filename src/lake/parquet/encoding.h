#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace envmon::lake::parquet {

// Parquet's RLE / bit-packing hybrid (Encodings.md): runs of >= 8 equal values become RLE runs,
// everything else bit-packed groups of 8. Used for definition levels and dictionary indices.
void rle_hybrid_encode(const std::vector<uint32_t>& values, int bit_width, std::string& out);
// Decodes exactly `count` values.
Result<std::vector<uint32_t>> rle_hybrid_decode(std::string_view data, int bit_width,
                                                size_t count);

// Smallest bit width that holds values 0..max_value (at least 1).
int bit_width_for(uint32_t max_value);

// PLAIN encoding of fixed-width little-endian values and length-prefixed byte arrays.
template <typename T>
void plain_append(std::string& out, T v) {
  char buf[sizeof(T)];
  __builtin_memcpy(buf, &v, sizeof(T));  // x86-64 and aarch64 are little-endian, as Parquet is
  out.append(buf, sizeof(T));
}
void plain_append_bytes(std::string& out, std::string_view v);

template <typename T>
T plain_read(std::string_view data, size_t pos) {
  T v;
  __builtin_memcpy(&v, data.data() + pos, sizeof(T));
  return v;
}

}  // namespace envmon::lake::parquet
