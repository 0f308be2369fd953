#include "lake/parquet/parquet_writer.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include <zstd.h>

#include "lake/parquet/encoding.h"
#include "lake/parquet/parquet_format.h"
#include "lake/parquet/thrift_compact.h"

namespace envmon::lake::parquet {
namespace {

using namespace format;

PhysicalType physical(ColumnType t) {
  switch (t) {
    case ColumnType::string: return kByteArray;
    case ColumnType::int32: return kInt32;
    case ColumnType::float64: return kDouble;
    default: return kInt64;
  }
}

// Min/max of one chunk's defined values, PLAIN-encoded as the statistics want them.
struct Stats {
  int64_t null_count = 0;
  std::optional<std::string> min, max;
};

template <typename T>
Stats numeric_stats(const std::vector<T>& v, const std::vector<uint8_t>& def, size_t b, size_t e) {
  Stats s;
  std::optional<T> lo, hi;
  for (size_t r = b; r < e; ++r) {
    if (!def[r]) {
      ++s.null_count;
      continue;
    }
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v[r])) continue;  // NaN is never a bound (spec)
    }
    if (!lo || v[r] < *lo) lo = v[r];
    if (!hi || v[r] > *hi) hi = v[r];
  }
  if (lo) {
    if constexpr (std::is_floating_point_v<T>) {
      // The spec asks for -0.0 as a zero minimum and +0.0 as a zero maximum.
      if (*lo == 0) lo = -0.0;
      if (*hi == 0) hi = 0.0;
    }
    s.min.emplace();
    s.max.emplace();
    plain_append(*s.min, *lo);
    plain_append(*s.max, *hi);
  }
  return s;
}

Stats string_stats(const ColumnData& c, size_t b, size_t e) {
  Stats s;
  const std::string* lo = nullptr;
  const std::string* hi = nullptr;
  for (size_t r = b; r < e; ++r) {
    if (!c.defined[r]) {
      ++s.null_count;
      continue;
    }
    // std::string compares like memcmp: the unsigned byte order Parquet specifies for STRING.
    if (!lo || c.strings[r] < *lo) lo = &c.strings[r];
    if (!hi || c.strings[r] > *hi) hi = &c.strings[r];
  }
  if (lo) {
    s.min = *lo;
    s.max = *hi;
  }
  return s;
}

Stats chunk_stats(const ColumnSpec& spec, const ColumnData& c, size_t b, size_t e) {
  switch (spec.type) {
    case ColumnType::string: return string_stats(c, b, e);
    case ColumnType::float64: return numeric_stats(c.doubles, c.defined, b, e);
    case ColumnType::int32: {
      std::vector<int32_t> narrow(c.ints.begin() + static_cast<ptrdiff_t>(b),
                                  c.ints.begin() + static_cast<ptrdiff_t>(e));
      std::vector<uint8_t> def(c.defined.begin() + static_cast<ptrdiff_t>(b),
                               c.defined.begin() + static_cast<ptrdiff_t>(e));
      return numeric_stats(narrow, def, 0, narrow.size());
    }
    default: return numeric_stats(c.ints, c.defined, b, e);
  }
}

void write_stats(CompactWriter& w, int16_t id, const Stats& s) {
  w.field_struct(id);
  w.field_i64(3, s.null_count);
  if (s.max) w.field_binary(5, *s.max);
  if (s.min) w.field_binary(6, *s.min);
  w.end_struct();
}

// PLAIN values of the defined rows in [b, e).
std::string plain_values(const ColumnSpec& spec, const ColumnData& c, size_t b, size_t e) {
  std::string out;
  for (size_t r = b; r < e; ++r) {
    if (!c.defined[r]) continue;
    switch (spec.type) {
      case ColumnType::string: plain_append_bytes(out, c.strings[r]); break;
      case ColumnType::int32: plain_append(out, static_cast<int32_t>(c.ints[r])); break;
      case ColumnType::float64: plain_append(out, c.doubles[r]); break;
      default: plain_append(out, c.ints[r]); break;
    }
  }
  return out;
}

struct Chunk {
  std::string bytes;  // pages (headers + bodies)
  int64_t uncompressed = 0;
  std::optional<int64_t> dictionary_offset;  // relative to the chunk start
  int64_t data_offset = 0;
  bool dictionary = false;
};

class ChunkWriter {
 public:
  ChunkWriter(const WriterOptions& o, const ColumnSpec& spec, const ColumnData& c, size_t b,
              size_t e)
      : opt_(o), spec_(spec), c_(c), b_(b), e_(e) {}

  Result<Chunk> write() {
    std::string levels;
    if (spec_.repetition == Repetition::optional) levels = definition_levels();
    if (spec_.type == ColumnType::string && spec_.encoding == StringEncoding::dictionary) {
      if (auto dict = build_dictionary()) {
        ENVMON_TRY(page(kDictionaryPage, dict->values, static_cast<int32_t>(dict->size), kPlain));
        chunk_.dictionary_offset = 0;
        chunk_.data_offset = static_cast<int64_t>(chunk_.bytes.size());
        chunk_.dictionary = true;
        std::string body = levels;
        body += static_cast<char>(dict->bit_width);
        rle_hybrid_encode(dict->indices, dict->bit_width, body);
        ENVMON_TRY(page(kDataPage, body, static_cast<int32_t>(e_ - b_), kRleDictionary));
        return std::move(chunk_);
      }
    }
    ENVMON_TRY(page(kDataPage, levels + plain_values(spec_, c_, b_, e_),
                    static_cast<int32_t>(e_ - b_), kPlain));
    return std::move(chunk_);
  }

 private:
  struct Dictionary {
    std::string values;  // PLAIN
    size_t size = 0;
    std::vector<uint32_t> indices;
    int bit_width = 1;
  };

  std::string definition_levels() const {
    std::vector<uint32_t> lv(c_.defined.begin() + static_cast<ptrdiff_t>(b_),
                             c_.defined.begin() + static_cast<ptrdiff_t>(e_));
    std::string rle;
    rle_hybrid_encode(lv, 1, rle);
    std::string out;
    plain_append(out, static_cast<uint32_t>(rle.size()));  // v1 pages prefix the levels' length
    return out + rle;
  }

  std::optional<Dictionary> build_dictionary() const {
    Dictionary d;
    std::unordered_map<std::string_view, uint32_t> ids;
    for (size_t r = b_; r < e_; ++r) {
      if (!c_.defined[r]) continue;
      auto [it, added] = ids.try_emplace(c_.strings[r], static_cast<uint32_t>(ids.size()));
      if (added) {
        if (static_cast<int64_t>(ids.size()) > opt_.max_dictionary_entries) return std::nullopt;
        plain_append_bytes(d.values, c_.strings[r]);
      }
      d.indices.push_back(it->second);
    }
    d.size = ids.size();
    d.bit_width = bit_width_for(d.size > 1 ? static_cast<uint32_t>(d.size - 1) : 0);
    return d;
  }

  Result<std::string> compress(const std::string& body) const {
    if (opt_.codec == Codec::uncompressed) return body;
    std::string out(ZSTD_compressBound(body.size()), '\0');
    const size_t n = ZSTD_compress(out.data(), out.size(), body.data(), body.size(), opt_.zstd_level);
    if (ZSTD_isError(n))
      return Error(Errc::lake_io, std::string("parquet zstd: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
  }

  Status page(PageType type, const std::string& body, int32_t num_values, Encoding encoding) {
    auto compressed = compress(body);
    if (!compressed.ok()) return compressed.error();
    CompactWriter h;
    h.begin_struct();
    h.field_i32(1, type);
    h.field_i32(2, static_cast<int32_t>(body.size()));
    h.field_i32(3, static_cast<int32_t>(compressed->size()));
    if (type == kDataPage) {
      h.field_struct(5);
      h.field_i32(1, num_values);
      h.field_i32(2, encoding);
      h.field_i32(3, kRle);
      h.field_i32(4, kRle);
      h.end_struct();
    } else {
      h.field_struct(7);
      h.field_i32(1, num_values);
      h.field_i32(2, kPlain);
      h.end_struct();
    }
    h.end_struct();
    chunk_.uncompressed += static_cast<int64_t>(h.bytes().size() + body.size());
    chunk_.bytes += h.bytes();
    chunk_.bytes += *compressed;
    return ok_status();
  }

  const WriterOptions& opt_;
  const ColumnSpec& spec_;
  const ColumnData& c_;
  size_t b_, e_;
  Chunk chunk_;
};

void write_schema(CompactWriter& w, const std::vector<ColumnSpec>& schema) {
  w.field_list(2, CType::strct, schema.size() + 1);
  w.begin_struct();
  w.field_binary(4, "schema");
  w.field_i32(5, static_cast<int32_t>(schema.size()));
  w.end_struct();
  for (const ColumnSpec& c : schema) {
    w.begin_struct();
    w.field_i32(1, physical(c.type));
    w.field_i32(3, c.repetition == Repetition::optional ? kOptional : kRequired);
    w.field_binary(4, c.name);
    if (c.type == ColumnType::string) {
      w.field_i32(6, kUtf8);
      w.field_struct(10);
      w.field_struct(1);  // StringType
      w.end_struct();
      w.end_struct();
    } else if (c.type == ColumnType::timestamp_ms) {
      w.field_i32(6, kTimestampMillis);
      w.field_struct(10);
      w.field_struct(8);  // TimestampType
      w.field_bool(1, true);
      w.field_struct(2);  // TimeUnit
      w.field_struct(1);  // MILLIS
      w.end_struct();
      w.end_struct();
      w.end_struct();
      w.end_struct();
    }
    w.end_struct();
  }
}

struct ChunkMeta {
  Chunk chunk;
  int64_t offset = 0;  // of the chunk in the file
  Stats stats;
  int64_t size = 0;  // compressed bytes (the pages themselves are in the file by then)
};

void write_column_chunk(CompactWriter& w, const ColumnSpec& spec, const ChunkMeta& m,
                        int64_t num_values, Codec codec) {
  w.begin_struct();
  w.field_i64(2, m.offset);
  w.field_struct(3);
  w.field_i32(1, physical(spec.type));
  const bool dict = m.chunk.dictionary;
  w.field_list(2, CType::i32, dict ? 3 : 2);
  w.list_i32(kPlain);
  w.list_i32(kRle);
  if (dict) w.list_i32(kRleDictionary);
  w.field_list(3, CType::binary, 1);
  w.list_binary(spec.name);
  w.field_i32(4, codec == Codec::zstd ? kZstd : kUncompressed);
  w.field_i64(5, num_values);
  w.field_i64(6, m.chunk.uncompressed);
  w.field_i64(7, m.size);
  w.field_i64(9, m.offset + m.chunk.data_offset);
  if (m.chunk.dictionary_offset) w.field_i64(11, m.offset + *m.chunk.dictionary_offset);
  write_stats(w, 12, m.stats);
  w.end_struct();
  w.end_struct();
}

}  // namespace

Result<std::string> write_parquet(const Table& table, const WriterOptions& options) {
  const auto& schema = table.schema();
  std::string file(format::kMagic, 4);
  CompactWriter meta;
  meta.begin_struct();
  meta.field_i32(1, 1);
  write_schema(meta, schema);
  meta.field_i64(3, static_cast<int64_t>(table.rows()));
  const size_t group_rows = static_cast<size_t>(std::max<int64_t>(1, options.row_group_rows));
  const size_t groups = (table.rows() + group_rows - 1) / group_rows;
  meta.field_list(4, CType::strct, groups);
  for (size_t g = 0; g < groups; ++g) {
    const size_t b = g * group_rows;
    const size_t e = std::min(table.rows(), b + group_rows);
    std::vector<ChunkMeta> chunks;
    int64_t group_uncompressed = 0;
    const auto group_start = static_cast<int64_t>(file.size());
    for (size_t i = 0; i < schema.size(); ++i) {
      auto chunk = ChunkWriter(options, schema[i], table.column(i), b, e).write();
      if (!chunk.ok()) return chunk.error();
      ChunkMeta m{std::move(*chunk), static_cast<int64_t>(file.size()),
                  chunk_stats(schema[i], table.column(i), b, e)};
      file += m.chunk.bytes;
      group_uncompressed += m.chunk.uncompressed;
      m.size = static_cast<int64_t>(m.chunk.bytes.size());
      m.chunk.bytes = std::string();
      chunks.push_back(std::move(m));
    }
    meta.begin_struct();
    meta.field_list(1, CType::strct, chunks.size());
    for (size_t i = 0; i < chunks.size(); ++i)
      write_column_chunk(meta, schema[i], chunks[i], static_cast<int64_t>(e - b), options.codec);
    meta.field_i64(2, group_uncompressed);
    meta.field_i64(3, static_cast<int64_t>(e - b));
    meta.field_i64(5, group_start);
    meta.field_i64(6, static_cast<int64_t>(file.size()) - group_start);
    meta.end_struct();
  }
  meta.field_binary(6, "envmon parquet writer version 1.0.0");
  meta.field_list(7, CType::strct, schema.size());
  for (size_t i = 0; i < schema.size(); ++i) {
    meta.begin_struct();
    meta.field_struct(1);  // TYPE_ORDER
    meta.end_struct();
    meta.end_struct();
  }
  meta.end_struct();
  file += meta.bytes();
  plain_append(file, static_cast<uint32_t>(meta.bytes().size()));
  file.append(format::kMagic, 4);
  return file;
}

}  // namespace envmon::lake::parquet
