#include "lake/parquet/parquet_reader.h"

#include <zstd.h>

#include "lake/parquet/encoding.h"
#include "lake/parquet/parquet_format.h"
#include "lake/parquet/thrift_compact.h"

namespace envmon::lake::parquet {
namespace {

using namespace format;

Error bad(const std::string& what) {
  return Error(Errc::lake_io, "parquet: " + what);
}

Result<ColumnSpec> column_spec(const TValue& el) {
  ColumnSpec spec;
  const TValue* name = el.field(4);
  if (!name) return bad("schema element without a name");
  spec.name = name->bin;
  spec.repetition = el.int_field(3) == kOptional ? Repetition::optional : Repetition::required;
  const int64_t converted = el.field(6) ? el.int_field(6) : -1;
  switch (el.int_field(1, -1)) {
    case kByteArray: spec.type = ColumnType::string; break;
    case kInt32: spec.type = ColumnType::int32; break;
    case kDouble: spec.type = ColumnType::float64; break;
    case kInt64:
      spec.type = converted == kTimestampMillis ? ColumnType::timestamp_ms : ColumnType::int64;
      break;
    default: return bad("column '" + spec.name + "' has an unsupported physical type");
  }
  return spec;
}

struct Page {
  int64_t type = 0;
  int64_t num_values = 0;
  int64_t encoding = 0;
  std::string body;  // decompressed
};

Result<Page> read_page(std::string_view file, size_t* pos, int64_t codec) {
  auto h = read_struct(file, pos);
  if (!h.ok()) return h.error();
  Page p;
  p.type = h->int_field(1);
  const auto raw_size = static_cast<size_t>(h->int_field(2));
  const auto size = static_cast<size_t>(h->int_field(3));
  if (size > file.size() - *pos) return bad("page runs past the end of the file");
  const std::string_view body = file.substr(*pos, size);
  *pos += size;
  const TValue* sub = h->field(p.type == kDictionaryPage ? 7 : 5);
  if (!sub) return bad("page header without its type's header");
  p.num_values = sub->int_field(1);
  p.encoding = sub->int_field(2);
  if (codec == kUncompressed) {
    p.body.assign(body);
  } else if (codec == kZstd) {
    p.body.resize(raw_size);
    const size_t n = ZSTD_decompress(p.body.data(), raw_size, body.data(), body.size());
    if (ZSTD_isError(n) || n != raw_size) return bad("zstd page does not decompress");
  } else {
    return bad("unsupported codec " + std::to_string(codec));
  }
  return p;
}

// Decodes PLAIN values of the column's type from body[pos...] into `col` for the defined rows.
Status decode_plain(ColumnType type, std::string_view body, size_t pos,
                    const std::vector<uint8_t>& defined, ColumnData& col) {
  for (uint8_t d : defined) {
    col.defined.push_back(d);
    const size_t width = type == ColumnType::int32 ? 4 : 8;
    if (type == ColumnType::string) {
      std::string v;
      if (d) {
        if (pos + 4 > body.size()) return bad("truncated PLAIN byte array");
        const auto n = plain_read<uint32_t>(body, pos);
        if (n > body.size() - pos - 4) return bad("PLAIN byte array runs past the page");
        v.assign(body.substr(pos + 4, n));
        pos += 4 + n;
      }
      col.strings.push_back(std::move(v));
      continue;
    }
    if (d && pos + width > body.size()) return bad("truncated PLAIN values");
    if (type == ColumnType::float64) {
      col.doubles.push_back(d ? plain_read<double>(body, pos) : 0);
    } else if (type == ColumnType::int32) {
      col.ints.push_back(d ? plain_read<int32_t>(body, pos) : 0);
    } else {
      col.ints.push_back(d ? plain_read<int64_t>(body, pos) : 0);
    }
    if (d) pos += width;
  }
  return ok_status();
}

Result<std::vector<std::string>> decode_dictionary(const Page& p) {
  ColumnData tmp;
  ENVMON_TRY(decode_plain(ColumnType::string, p.body, 0,
                          std::vector<uint8_t>(static_cast<size_t>(p.num_values), 1), tmp));
  return tmp.strings;
}

Result<std::vector<uint8_t>> definition_levels(const ColumnSpec& spec, const Page& p,
                                               size_t* pos) {
  const auto n = static_cast<size_t>(p.num_values);
  if (spec.repetition == Repetition::required) return std::vector<uint8_t>(n, 1);
  if (p.body.size() < 4) return bad("truncated definition levels");
  const auto len = plain_read<uint32_t>(p.body, 0);
  if (len > p.body.size() - 4) return bad("definition levels run past the page");
  auto lv = rle_hybrid_decode(std::string_view(p.body).substr(4, len), 1, n);
  if (!lv.ok()) return lv.error();
  *pos = 4 + len;
  return std::vector<uint8_t>(lv->begin(), lv->end());
}

Status decode_data_page(const ColumnSpec& spec, const Page& p,
                        const std::vector<std::string>& dict, ColumnData& col) {
  size_t pos = 0;
  auto defined = definition_levels(spec, p, &pos);
  if (!defined.ok()) return defined.error();
  if (p.encoding == kPlain) return decode_plain(spec.type, p.body, pos, *defined, col);
  if (p.encoding != kRleDictionary || spec.type != ColumnType::string)
    return bad("column '" + spec.name + "': unsupported encoding " + std::to_string(p.encoding));
  size_t count = 0;
  for (uint8_t d : *defined)
    count += d;
  if (pos >= p.body.size() && count > 0) return bad("dictionary indices missing");
  const int width = count > 0 ? static_cast<uint8_t>(p.body[pos]) : 1;
  auto idx = rle_hybrid_decode(std::string_view(p.body).substr(pos + 1), width, count);
  if (!idx.ok()) return idx.error();
  size_t k = 0;
  for (uint8_t d : *defined) {
    col.defined.push_back(d);
    if (!d) {
      col.strings.emplace_back();
      continue;
    }
    const uint32_t i = (*idx)[k++];
    if (i >= dict.size()) return bad("dictionary index out of range");
    col.strings.push_back(dict[i]);
  }
  return ok_status();
}

Status read_chunk(std::string_view file, const ColumnSpec& spec, const TValue& cc,
                  ColumnData& col) {
  const TValue* md = cc.field(3);
  if (!md) return bad("column chunk without metadata");
  const int64_t codec = md->int_field(4);
  const int64_t num_values = md->int_field(5);
  auto pos = static_cast<size_t>(md->field(11) ? md->int_field(11) : md->int_field(9));
  std::vector<std::string> dict;
  for (int64_t seen = 0; seen < num_values;) {
    if (pos >= file.size()) return bad("column chunk offset past the end of the file");
    auto page = read_page(file, &pos, codec);
    if (!page.ok()) return page.error();
    if (page->type == kDictionaryPage) {
      auto d = decode_dictionary(*page);
      if (!d.ok()) return d.error();
      dict = std::move(*d);
      continue;
    }
    if (page->type != kDataPage) return bad("unsupported page type " + std::to_string(page->type));
    ENVMON_TRY(decode_data_page(spec, *page, dict, col));
    seen += page->num_values;
  }
  return ok_status();
}

}  // namespace

Result<Table> read_parquet(std::string_view file) {
  if (file.size() < 12 || file.substr(0, 4) != kMagic || file.substr(file.size() - 4) != kMagic)
    return bad("not a Parquet file (no PAR1 magic)");
  const auto footer_len = plain_read<uint32_t>(file, file.size() - 8);
  if (footer_len > file.size() - 12) return bad("footer length past the start of the file");
  size_t pos = file.size() - 8 - footer_len;
  auto meta = read_struct(file, &pos);
  if (!meta.ok()) return meta.error().with_context("parquet footer");
  const TValue* schema = meta->field(2);
  if (!schema || schema->elems.empty()) return bad("footer without a schema");
  std::vector<ColumnSpec> specs;
  for (size_t i = 1; i < schema->elems.size(); ++i) {
    if (schema->elems[i].field(5)) return bad("nested schemas are not supported");
    auto spec = column_spec(schema->elems[i]);
    if (!spec.ok()) return spec.error();
    specs.push_back(std::move(*spec));
  }
  std::vector<ColumnData> cols(specs.size());
  const TValue* groups = meta->field(4);
  for (const TValue& g : groups ? groups->elems : std::vector<TValue>{}) {
    const TValue* chunks = g.field(1);
    if (!chunks || chunks->elems.size() != specs.size()) return bad("row group column count");
    for (size_t i = 0; i < specs.size(); ++i)
      ENVMON_TRY(read_chunk(file, specs[i], chunks->elems[i], cols[i]));
  }
  const auto rows = static_cast<size_t>(meta->int_field(3));
  for (size_t i = 0; i < specs.size(); ++i) {
    if (cols[i].defined.size() != rows) return bad("column '" + specs[i].name + "' row count");
  }
  return Table::from_columns(std::move(specs), std::move(cols), rows);
}

}  // namespace envmon::lake::parquet
