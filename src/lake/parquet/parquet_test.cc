#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "lake/parquet/encoding.h"
#include "lake/parquet/parquet_reader.h"
#include "lake/parquet/parquet_writer.h"
#include "lake/parquet/thrift_compact.h"

namespace envmon::lake::parquet {
namespace {

std::vector<ColumnSpec> sample_schema() {
  return {{"station", ColumnType::string, Repetition::required, StringEncoding::dictionary},
          {"note", ColumnType::string, Repetition::optional, StringEncoding::plain},
          {"observed_at", ColumnType::timestamp_ms, Repetition::required},
          {"value", ColumnType::float64, Repetition::optional},
          {"flags", ColumnType::int32, Repetition::required},
          {"count", ColumnType::int64, Repetition::optional}};
}

Table sample_table(size_t rows) {
  Table t(sample_schema());
  const char* stations[] = {"delhi", "tokyo", "são-paulo"};
  for (size_t r = 0; r < rows; ++r) {
    t.set_string(0, stations[(r / 7) % 3]);
    if (r % 5 != 0) t.set_string(1, "n" + std::to_string(r));
    t.set_int(2, 1700000000000 + static_cast<int64_t>(r) * 60000);
    if (r % 3 != 0) t.set_double(3, static_cast<double>(r) * 0.5 - 10);
    t.set_int(4, static_cast<int64_t>(r % 4));
    if (r % 2 == 0) t.set_int(5, -static_cast<int64_t>(r));
    t.end_row();
  }
  return t;
}

void expect_same(const Table& a, const Table& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.schema().size(), b.schema().size());
  for (size_t c = 0; c < a.schema().size(); ++c) {
    EXPECT_EQ(a.schema()[c].name, b.schema()[c].name);
    EXPECT_EQ(a.schema()[c].type, b.schema()[c].type);
    EXPECT_EQ(a.schema()[c].repetition, b.schema()[c].repetition);
    const ColumnData& x = a.column(c);
    const ColumnData& y = b.column(c);
    ASSERT_EQ(x.defined, y.defined) << a.schema()[c].name;
    for (size_t r = 0; r < a.rows(); ++r) {
      if (!x.defined[r]) continue;
      switch (a.schema()[c].type) {
        case ColumnType::string: ASSERT_EQ(x.strings[r], y.strings[r]); break;
        case ColumnType::float64: ASSERT_EQ(x.doubles[r], y.doubles[r]); break;
        default: ASSERT_EQ(x.ints[r], y.ints[r]); break;
      }
    }
  }
}

TEST(ParquetRle, RoundTripsRunsAndLiteralsAtEveryWidth) {
  std::vector<uint32_t> v;
  for (uint32_t i = 0; i < 20; ++i)
    v.push_back(3);  // a long run
  for (uint32_t i = 0; i < 13; ++i)
    v.push_back(i % 5);  // literals, not a multiple of 8
  for (uint32_t i = 0; i < 9; ++i)
    v.push_back(1);
  for (int width : {3, 8, 13}) {
    std::string enc;
    rle_hybrid_encode(v, width, enc);
    auto dec = rle_hybrid_decode(enc, width, v.size());
    ASSERT_TRUE(dec.ok()) << dec.error().to_string();
    EXPECT_EQ(*dec, v) << "width " << width;
  }
}

TEST(ParquetRle, TruncatedInputIsAnErrorNotACrash) {
  std::string enc;
  rle_hybrid_encode({1, 2, 3, 4, 5, 6, 7, 0, 1}, 3, enc);
  auto dec = rle_hybrid_decode(std::string_view(enc).substr(0, 2), 3, 9);
  ASSERT_FALSE(dec.ok());
  EXPECT_NE(dec.error().message().find("truncated"), std::string::npos);
}

TEST(ParquetThrift, NestedStructsListsAndLargeFieldIdsRoundTrip) {
  CompactWriter w;
  w.begin_struct();
  w.field_i32(1, -5);
  w.field_list(2, CType::binary, 16);
  for (int i = 0; i < 16; ++i)
    w.list_binary("x" + std::to_string(i));
  w.field_struct(40);  // delta > 15: long form header
  w.field_bool(1, true);
  w.field_i64(2, int64_t{1} << 40);
  w.end_struct();
  w.end_struct();
  size_t pos = 0;
  auto v = read_struct(w.bytes(), &pos);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(pos, w.bytes().size());
  EXPECT_EQ(v->int_field(1), -5);
  ASSERT_EQ(v->field(2)->elems.size(), 16U);
  EXPECT_EQ(v->field(2)->elems[15].bin, "x15");
  EXPECT_EQ(v->field(40)->int_field(1), 1);
  EXPECT_EQ(v->field(40)->int_field(2), int64_t{1} << 40);
}

TEST(ParquetWriter, RoundTripsEveryTypeWithNullsOverSeveralRowGroups) {
  const Table t = sample_table(1000);
  for (Codec codec : {Codec::zstd, Codec::uncompressed}) {
    WriterOptions opt;
    opt.codec = codec;
    opt.row_group_rows = 300;
    auto bytes = write_parquet(t, opt);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    EXPECT_EQ(bytes->substr(0, 4), "PAR1");
    EXPECT_EQ(bytes->substr(bytes->size() - 4), "PAR1");
    auto back = read_parquet(*bytes);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    expect_same(t, *back);
  }
}

TEST(ParquetWriter, DictionaryFallsBackToPlainWhenTooManyDistinctValues) {
  const Table t = sample_table(50);
  WriterOptions opt;
  opt.max_dictionary_entries = 2;
  auto bytes = write_parquet(t, opt);
  ASSERT_TRUE(bytes.ok());
  auto back = read_parquet(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  expect_same(t, *back);
}

TEST(ParquetWriter, EmptyTableIsAValidFile) {
  auto bytes = write_parquet(Table(sample_schema()), {});
  ASSERT_TRUE(bytes.ok());
  auto back = read_parquet(*bytes);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->rows(), 0U);
}

TEST(ParquetReader, RejectsDamagedFilesWithAClearError) {
  auto bytes = write_parquet(sample_table(100), {});
  ASSERT_TRUE(bytes.ok());
  auto not_parquet = read_parquet("hello world, not parquet");
  ASSERT_FALSE(not_parquet.ok());
  EXPECT_NE(not_parquet.error().message().find("PAR1"), std::string::npos);

  std::string cut = bytes->substr(0, bytes->size() / 2) + bytes->substr(bytes->size() - 8);
  auto truncated = read_parquet(cut);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code(), Errc::lake_io);

  std::string flipped = *bytes;
  flipped[10] = static_cast<char>(flipped[10] ^ 0x5a);  // inside the first page
  auto damaged = read_parquet(flipped);  // an error or a value mismatch, never a crash
  if (damaged.ok()) {
    EXPECT_EQ(damaged->rows(), 100U);
  }
}

}  // namespace
}  // namespace envmon::lake::parquet
