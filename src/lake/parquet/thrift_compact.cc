#include "lake/parquet/thrift_compact.h"

namespace envmon::lake::parquet {

void CompactWriter::varint(uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
}

void CompactWriter::header(int16_t id, CType type) {
  const int16_t delta = static_cast<int16_t>(id - last_ids_.back());
  if (delta > 0 && delta <= 15) {
    out_ += static_cast<char>((delta << 4) | static_cast<uint8_t>(type));
  } else {
    out_ += static_cast<char>(type);
    varint(zigzag(id));
  }
  last_ids_.back() = id;
}

void CompactWriter::field_list(int16_t id, CType elem, size_t size) {
  header(id, CType::list);
  if (size < 15) {
    out_ += static_cast<char>((size << 4) | static_cast<uint8_t>(elem));
  } else {
    out_ += static_cast<char>(0xf0 | static_cast<uint8_t>(elem));
    varint(size);
  }
}

const TValue* TValue::field(int16_t id) const {
  for (const auto& [fid, v] : fields) {
    if (fid == id) return &v;
  }
  return nullptr;
}

namespace {

Error malformed(const std::string& what, size_t pos) {
  return Error(Errc::lake_io, "thrift: " + what + " at byte " + std::to_string(pos));
}

class Reader {
 public:
  Reader(std::string_view data, size_t pos) : d_(data), pos_(pos) {}
  size_t pos() const { return pos_; }

  Result<uint64_t> varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= d_.size()) return malformed("truncated varint", pos_);
      const auto b = static_cast<uint8_t>(d_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return malformed("varint too long", pos_);
  }
  Result<int64_t> zigzag() {
    auto v = varint();
    if (!v.ok()) return v.error();
    return static_cast<int64_t>(*v >> 1) ^ -static_cast<int64_t>(*v & 1);
  }

  Result<TValue> value(CType type, int depth) {
    if (depth > 32) return malformed("nesting too deep", pos_);
    TValue v;
    v.type = type;
    switch (type) {
      case CType::bool_true: v.i = 1; return v;
      case CType::bool_false: v.i = 0; return v;
      case CType::byte:
        if (pos_ >= d_.size()) return malformed("truncated byte", pos_);
        v.i = static_cast<int8_t>(d_[pos_++]);
        return v;
      case CType::i16:
      case CType::i32:
      case CType::i64: {
        auto z = zigzag();
        if (!z.ok()) return z.error();
        v.i = *z;
        return v;
      }
      case CType::dbl:
        if (pos_ + 8 > d_.size()) return malformed("truncated double", pos_);
        pos_ += 8;
        return v;
      case CType::binary: {
        auto n = varint();
        if (!n.ok()) return n.error();
        if (*n > d_.size() - pos_) return malformed("binary longer than the data", pos_);
        v.bin.assign(d_.substr(pos_, *n));
        pos_ += *n;
        return v;
      }
      case CType::list:
      case CType::set: return list(std::move(v), depth);
      case CType::strct: return strct(depth);
      default: return malformed("unsupported type " + std::to_string(static_cast<int>(type)), pos_);
    }
  }

  Result<TValue> strct(int depth) {
    TValue v;
    v.type = CType::strct;
    int16_t last = 0;
    for (;;) {
      if (pos_ >= d_.size()) return malformed("truncated struct", pos_);
      const auto b = static_cast<uint8_t>(d_[pos_++]);
      if (b == 0) return v;
      const auto type = static_cast<CType>(b & 0x0f);
      int16_t id = 0;
      if ((b >> 4) != 0) {
        id = static_cast<int16_t>(last + (b >> 4));
      } else {
        auto z = zigzag();
        if (!z.ok()) return z.error();
        id = static_cast<int16_t>(*z);
      }
      last = id;
      auto f = value(type, depth + 1);
      if (!f.ok()) return f.error();
      v.fields.emplace_back(id, std::move(*f));
    }
  }

 private:
  Result<TValue> list(TValue v, int depth) {
    if (pos_ >= d_.size()) return malformed("truncated list", pos_);
    const auto b = static_cast<uint8_t>(d_[pos_++]);
    uint64_t size = b >> 4;
    if (size == 15) {
      auto n = varint();
      if (!n.ok()) return n.error();
      size = *n;
    }
    if (size > d_.size() - pos_) return malformed("list longer than the data", pos_);
    const auto elem = static_cast<CType>(b & 0x0f);
    for (uint64_t k = 0; k < size; ++k) {
      // Booleans inside lists are one byte each (1 = true).
      auto e = elem == CType::bool_true || elem == CType::bool_false ? value(CType::byte, depth + 1)
                                                                     : value(elem, depth + 1);
      if (!e.ok()) return e.error();
      v.elems.push_back(std::move(*e));
    }
    return v;
  }

  std::string_view d_;
  size_t pos_;
};

}  // namespace

Result<TValue> read_struct(std::string_view data, size_t* pos) {
  Reader r(data, *pos);
  auto v = r.strct(0);
  if (!v.ok()) return v.error();
  *pos = r.pos();
  return v;
}

}  // namespace envmon::lake::parquet
