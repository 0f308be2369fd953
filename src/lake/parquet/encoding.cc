#include "lake/parquet/encoding.h"

namespace envmon::lake::parquet {
namespace {

void varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

size_t run_length(const std::vector<uint32_t>& v, size_t i) {
  size_t j = i + 1;
  while (j < v.size() && v[j] == v[i])
    ++j;
  return j - i;
}

void rle_run(std::string& out, uint32_t value, size_t count, int bit_width) {
  varint(out, static_cast<uint64_t>(count) << 1);
  for (int b = 0; b < (bit_width + 7) / 8; ++b)
    out += static_cast<char>((value >> (8 * b)) & 0xff);
}

// Bit-packs values[i, i + 8 * groups) (zero-padded past the end), LSB first.
void packed_run(std::string& out, const std::vector<uint32_t>& values, size_t i, size_t groups,
                int bit_width) {
  varint(out, (static_cast<uint64_t>(groups) << 1) | 1);
  uint64_t acc = 0;
  int bits = 0;
  for (size_t k = 0; k < groups * 8; ++k) {
    const uint64_t v = i + k < values.size() ? values[i + k] : 0;
    acc |= v << bits;
    bits += bit_width;
    while (bits >= 8) {
      out += static_cast<char>(acc & 0xff);
      acc >>= 8;
      bits -= 8;
    }
  }
}

}  // namespace

int bit_width_for(uint32_t max_value) {
  int w = 1;
  while (w < 32 && (max_value >> w) != 0)
    ++w;
  return w;
}

void rle_hybrid_encode(const std::vector<uint32_t>& values, int bit_width, std::string& out) {
  size_t i = 0;
  while (i < values.size()) {
    const size_t run = run_length(values, i);
    if (run >= 8) {
      rle_run(out, values[i], run, bit_width);
      i += run;
      continue;
    }
    // Literal groups of 8 until a long run starts on a group boundary (or the data ends).
    size_t groups = 0;
    size_t j = i;
    while (j < values.size() && (j == i || run_length(values, j) < 8)) {
      j += 8;
      ++groups;
    }
    packed_run(out, values, i, groups, bit_width);
    i = std::min(j, values.size());
  }
}

Result<std::vector<uint32_t>> rle_hybrid_decode(std::string_view data, int bit_width,
                                                size_t count) {
  std::vector<uint32_t> out;
  out.reserve(count);
  size_t pos = 0;
  auto bad = [&](const char* what) {
    return Error(Errc::lake_io, std::string("rle: ") + what + " at byte " + std::to_string(pos));
  };
  while (out.size() < count) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      if (pos >= data.size() || shift > 35) return bad("truncated run header");
      const auto b = static_cast<uint8_t>(data[pos++]);
      header |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    if ((header & 1) == 0) {
      const size_t width_bytes = static_cast<size_t>((bit_width + 7) / 8);
      if (pos + width_bytes > data.size()) return bad("truncated RLE value");
      uint32_t v = 0;
      for (size_t b = 0; b < width_bytes; ++b)
        v |= static_cast<uint32_t>(static_cast<uint8_t>(data[pos + b])) << (8 * b);
      pos += width_bytes;
      for (uint64_t k = 0; k < (header >> 1) && out.size() < count; ++k)
        out.push_back(v);
      continue;
    }
    const size_t n = static_cast<size_t>(header >> 1) * 8;
    if (pos + n * static_cast<size_t>(bit_width) / 8 > data.size()) return bad("truncated bit-packed run");
    uint64_t acc = 0;
    int bits = 0;
    const uint64_t mask = (uint64_t{1} << bit_width) - 1;
    for (size_t k = 0; k < n; ++k) {
      while (bits < bit_width) {
        acc |= static_cast<uint64_t>(static_cast<uint8_t>(data[pos++])) << bits;
        bits += 8;
      }
      if (out.size() < count) out.push_back(static_cast<uint32_t>(acc & mask));
      acc >>= bit_width;
      bits -= bit_width;
    }
  }
  return out;
}

void plain_append_bytes(std::string& out, std::string_view v) {
  plain_append<uint32_t>(out, static_cast<uint32_t>(v.size()));
  out.append(v);
}

}  // namespace envmon::lake::parquet
