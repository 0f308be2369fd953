#include "lake/raw_lake_reader.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zstd.h>

#include "lake/file/file_object_store.h"
#include "lake/raw_lake.h"

namespace envmon::lake {
namespace {

const Timestamp kT0 = from_unix_ms(1767232800000);  // 2026-01-01T02:00:00Z
constexpr Millis kHour(3600 * 1000);

struct Row {
  std::string source;
  std::string station;
  Timestamp at;
  std::string payload;
};

std::string manifest_key_of(const std::string& part_key) {
  const size_t slash = part_key.rfind('/');
  return part_key.substr(0, slash) + "/_manifest/" +
         part_key.substr(slash + 1, part_key.size() - slash - 11) + ".json";
}

class RawLakeReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("envmon_lake_reader_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    store_ = make_file_object_store(root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // Appends the rows through the real writer, flushing after each batch (one part per partition
  // per batch).
  void write(const std::vector<std::vector<Row>>& batches, RawLakeConfig config = {}) {
    RawLake lake(*store_, config);
    ASSERT_TRUE(lake.start().ok());
    for (const auto& batch : batches) {
      for (const auto& r : batch)
        ASSERT_TRUE(lake.append(r.source, r.station, r.at, r.payload).ok());
      ASSERT_TRUE(lake.flush().ok());
    }
  }

  // "source|payload" per visited record.
  Result<std::vector<std::string>> scan(Timestamp from, Timestamp to,
                                        const std::vector<std::string>& sources = {}) {
    std::vector<std::string> seen;
    auto stats = scan_raw_lake(*store_, from, to, sources, [&](const RawRecord& r) {
      seen.push_back(r.source + "|" + r.payload);
      return ok_status();
    });
    if (!stats.ok()) return stats.error();
    last_ = *stats;
    return seen;
  }

  std::vector<std::string> part_keys() {
    std::vector<std::string> out;
    for (auto& o : store_->list("raw/source=").value_or(std::vector<ObjectInfo>{})) {
      if (o.key.ends_with(".jsonl.zst")) out.push_back(o.key);
    }
    return out;
  }

  std::filesystem::path root_;
  std::unique_ptr<ObjectStore> store_;
  RawScanStats last_;
};

using Seen = std::vector<std::string>;

TEST_F(RawLakeReaderTest, EmptyLakeGivesZeroStats) {
  auto seen = scan(kT0 - kHour * 48, kT0 + kHour * 48);
  ASSERT_TRUE(seen.ok()) << seen.error().to_string();
  EXPECT_TRUE(seen->empty());
  EXPECT_EQ(last_.parts, 0);
  EXPECT_EQ(last_.records, 0);
  EXPECT_EQ(last_.bytes, 0);
  ASSERT_TRUE(scan(kT0, kT0, {"sim"}).ok());
  EXPECT_EQ(last_.records, 0);
}

TEST_F(RawLakeReaderTest, ToBeforeFromIsInvalid) {
  auto seen = scan(kT0, kT0 - Millis(1));
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.error().code(), Errc::invalid_argument);
}

TEST_F(RawLakeReaderTest, SelectsHourPartitionsOverlappingHalfOpenRange) {
  write({{{"sim", "a", kT0 - Millis(1), "h01"},
          {"sim", "a", kT0, "h02a"},
          {"sim", "a", kT0 + kHour - Millis(1), "h02b"},
          {"sim", "a", kT0 + kHour, "h03"}}});
  EXPECT_EQ(scan(kT0, kT0 + kHour).value_or(Seen{"error"}), (Seen{"sim|h02a", "sim|h02b"}));
  EXPECT_EQ(last_.parts, 1);
  EXPECT_EQ(last_.records, 2);
  EXPECT_GT(last_.bytes, 0);
  // A range inside the hour still yields the whole partition: exact filtering is the caller's.
  EXPECT_EQ(scan(kT0 + Millis(1800000), kT0 + kHour).value_or(Seen{"error"}),
            (Seen{"sim|h02a", "sim|h02b"}));
  EXPECT_EQ(scan(kT0, kT0 + kHour + Millis(1)).value_or(Seen{"error"}),
            (Seen{"sim|h02a", "sim|h02b", "sim|h03"}));
  EXPECT_EQ(scan(kT0 - Millis(1), kT0).value_or(Seen{"error"}), (Seen{"sim|h01"}));
  EXPECT_EQ(scan(kT0 - kHour * 5, kT0 - kHour).value_or(Seen{"error"}), Seen{});
}

TEST_F(RawLakeReaderTest, OrderIsSourceThenHourThenIngestAndRepeatable) {
  const Timestamp day_end = kT0 + kHour * 21;  // 2026-01-01T23:00Z, next hour is the next date
  write({{{"waqi", "z", day_end + kHour, "w3"},
          {"owm", "x", kT0, "o1"},
          {"sim", "s", day_end, "s1"},
          {"waqi", "x", kT0, "w1"}},
         {{"sim", "s", day_end + Millis(5), "s2"},
          {"owm", "y", kT0 + Millis(1), "o2"},
          {"sim", "s", day_end + kHour, "s3"},
          {"waqi", "x", kT0 + kHour * 2, "w2"}},
         {{"owm", "x", kT0 + Millis(2), "o3"}}});
  const Seen expected{"owm|o1", "owm|o2",  "owm|o3",  "sim|s1", "sim|s2",
                      "sim|s3", "waqi|w1", "waqi|w2", "waqi|w3"};
  auto first = scan(kT0 - kHour, day_end + kHour * 3);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(*first, expected);
  EXPECT_EQ(last_.parts, 9);
  EXPECT_EQ(last_.records, 9);
  const RawScanStats first_stats = last_;
  EXPECT_EQ(scan(kT0 - kHour, day_end + kHour * 3).value_or(Seen{"error"}), expected);
  EXPECT_EQ(last_.bytes, first_stats.bytes);
}

TEST_F(RawLakeReaderTest, SeveralPartsOfOnePartitionComeInIngestOrder) {
  RawLakeConfig config;
  config.max_part_bytes = 1;  // every append cuts its own part
  write({{{"sim", "a", kT0 + Millis(10), "p1"},
          {"sim", "b", kT0 + Millis(20), "p2"},
          {"sim", "a", kT0 + Millis(30), "p3"}}},
        config);
  ASSERT_EQ(part_keys().size(), 3u);
  EXPECT_EQ(scan(kT0, kT0 + kHour).value_or(Seen{"error"}), (Seen{"sim|p1", "sim|p2", "sim|p3"}));
  EXPECT_EQ(last_.parts, 3);
}

TEST_F(RawLakeReaderTest, SourcesFilterMatchesSanitizedNames) {
  write({{{"sim", "a", kT0, "s"},
          {"owm", "a", kT0, "o"},
          {"a/b", "a", kT0, "ab"},
          {"sim2", "a", kT0, "s2"}}});
  EXPECT_EQ(scan(kT0, kT0 + kHour, {"sim"}).value_or(Seen{"error"}), (Seen{"sim|s"}));
  EXPECT_EQ(scan(kT0, kT0 + kHour, {"sim", "nope", "owm"}).value_or(Seen{"error"}),
            (Seen{"owm|o", "sim|s"}));
  EXPECT_EQ(scan(kT0, kT0 + kHour, {"a/b"}).value_or(Seen{"error"}), (Seen{"a_b|ab"}));
  EXPECT_EQ(scan(kT0, kT0 + kHour).value_or(Seen{"error"}).size(), 4u);
}

TEST_F(RawLakeReaderTest, LongRangesListPerSource) {
  const Millis day = kHour * 24;
  write({{{"sim", "a", kT0, "d0"},
          {"sim", "a", kT0 + day * 40, "d40"},
          {"sim", "a", kT0 + day * 90, "d90"},
          {"owm", "a", kT0 + day * 40, "o40"}}});
  EXPECT_EQ(scan(kT0 - day, kT0 + day * 60, {"sim"}).value_or(Seen{"error"}),
            (Seen{"sim|d0", "sim|d40"}));
  EXPECT_EQ(scan(kT0 + day * 39, kT0 + day * 41, {"sim"}).value_or(Seen{"error"}),
            (Seen{"sim|d40"}));
  EXPECT_EQ(scan(kT0 - day, kT0 + day * 100).value_or(Seen{"error"}),
            (Seen{"owm|o40", "sim|d0", "sim|d40", "sim|d90"}));
}

TEST_F(RawLakeReaderTest, TamperedPartIsAnErrorNamingTheKey) {
  write({{{"sim", "a", kT0, R"({"n":1})"}, {"sim", "a", kT0 + Millis(1), R"({"n":2})"}}});
  const auto keys = part_keys();
  ASSERT_EQ(keys.size(), 1u);
  std::string data = store_->get(keys[0]).value_or("");
  ASSERT_FALSE(data.empty());
  data.back() = static_cast<char>(data.back() ^ 0x01);  // same size, different bytes
  ASSERT_TRUE(store_->put(keys[0], data, false).ok());
  int calls = 0;
  auto stats = scan_raw_lake(*store_, kT0, kT0 + kHour, {}, [&](const RawRecord&) {
    ++calls;
    return ok_status();
  });
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code(), Errc::lake_io);
  EXPECT_NE(stats.error().message().find(keys[0]), std::string::npos) << stats.error().message();
  EXPECT_NE(stats.error().message().find("sha256"), std::string::npos);
  EXPECT_EQ(calls, 0);
}

TEST_F(RawLakeReaderTest, RowCountAndZstdErrorsAgainstAConsistentManifest) {
  write({{{"sim", "a", kT0, "x"}}});
  const std::string key = part_keys().at(0);
  auto manifest = nlohmann::json::parse(store_->get(manifest_key_of(key)).value_or("{}"));
  // Hash and size match, rows do not.
  manifest["rows"] = 2;
  ASSERT_TRUE(store_->put(manifest_key_of(key), manifest.dump(), false).ok());
  auto rows = scan(kT0, kT0 + kHour);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code(), Errc::lake_io);
  EXPECT_NE(rows.error().message().find(key), std::string::npos) << rows.error().message();
  // Not zstd at all, with a manifest that agrees on hash and size.
  const std::string junk = "not zstd";
  ASSERT_TRUE(store_->put(key, junk, false).ok());
  manifest["rows"] = 1;
  manifest["bytes"] = junk.size();
  manifest["sha256"] = sha256_hex(junk);
  manifest.erase("uncompressed_bytes");
  ASSERT_TRUE(store_->put(manifest_key_of(key), manifest.dump(), false).ok());
  auto zstd = scan(kT0, kT0 + kHour);
  ASSERT_FALSE(zstd.ok());
  EXPECT_EQ(zstd.error().code(), Errc::lake_io);
  EXPECT_NE(zstd.error().message().find(key), std::string::npos) << zstd.error().message();
  EXPECT_NE(zstd.error().message().find("zstd"), std::string::npos);
}

TEST_F(RawLakeReaderTest, MissingManifestIsAnErrorBeforeAnyRecord) {
  write({{{"owm", "a", kT0, "o"}, {"sim", "a", kT0, "s"}}});
  std::string sim_key;
  for (const auto& k : part_keys())
    if (k.starts_with("raw/source=sim/")) sim_key = k;
  ASSERT_FALSE(sim_key.empty());
  ASSERT_TRUE(std::filesystem::remove(root_ / manifest_key_of(sim_key)));
  int calls = 0;
  auto stats = scan_raw_lake(*store_, kT0, kT0 + kHour, {}, [&](const RawRecord&) {
    ++calls;
    return ok_status();
  });
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code(), Errc::lake_io);
  EXPECT_NE(stats.error().message().find(sim_key), std::string::npos) << stats.error().message();
  EXPECT_EQ(calls, 0);  // the listing is checked before anything is visited
  EXPECT_EQ(scan(kT0, kT0 + kHour, {"owm"}).value_or(Seen{"error"}), (Seen{"owm|o"}));
}

TEST_F(RawLakeReaderTest, ManifestWithoutPartIsAnError) {
  write({{{"sim", "a", kT0, "s"}}});
  const std::string key = part_keys().at(0);
  ASSERT_TRUE(std::filesystem::remove(root_ / key));
  auto seen = scan(kT0, kT0 + kHour);
  ASSERT_FALSE(seen.ok());
  EXPECT_NE(seen.error().message().find(manifest_key_of(key)), std::string::npos);
}

TEST_F(RawLakeReaderTest, UnparseablePathsAreErrorsNamingTheKey) {
  write({{{"sim", "a", kT0, "s"}}});
  const std::string junk = "raw/source=sim/date=2026-01-01/hour=02/notes.txt";
  ASSERT_TRUE(store_->put(junk, "x", false).ok());
  auto seen = scan(kT0, kT0 + kHour);
  ASSERT_FALSE(seen.ok());
  EXPECT_EQ(seen.error().code(), Errc::lake_io);
  EXPECT_NE(seen.error().message().find(junk), std::string::npos) << seen.error().message();
  ASSERT_TRUE(std::filesystem::remove(root_ / junk));

  const std::string bad_date =
      "raw/source=sim/date=2026-13-01/hour=02/part-1-00000001-abcdef01.jsonl.zst";
  ASSERT_TRUE(store_->put(bad_date, "x", false).ok());
  seen = scan(kT0, kT0 + kHour);
  ASSERT_FALSE(seen.ok());
  EXPECT_NE(seen.error().message().find(bad_date), std::string::npos) << seen.error().message();
}

TEST_F(RawLakeReaderTest, CallbackErrorStopsTheScan) {
  write({{{"sim", "a", kT0, "1"},
          {"sim", "a", kT0 + Millis(1), "2"},
          {"sim", "a", kT0 + kHour, "3"}}});
  int calls = 0;
  auto stats = scan_raw_lake(*store_, kT0, kT0 + kHour * 2, {}, [&](const RawRecord& r) -> Status {
    ++calls;
    if (r.payload == "2") return Error(Errc::internal, "stop here");
    return ok_status();
  });
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code(), Errc::internal);
  EXPECT_EQ(stats.error().message(), "stop here");
  EXPECT_EQ(calls, 2);
}

TEST_F(RawLakeReaderTest, RecordsCarrySourceAndPartKey) {
  write({{{"sim", "a", kT0, R"({"a":"b c"})"}}});
  std::vector<RawRecord> records;
  ASSERT_TRUE(scan_raw_lake(*store_, kT0, kT0 + kHour, {}, [&](const RawRecord& r) {
                records.push_back(r);
                return ok_status();
              }).ok());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].source, "sim");
  EXPECT_EQ(records[0].part_key, part_keys().at(0));
  EXPECT_EQ(records[0].payload, R"({"a":"b c"})");
}

// A frame written without a content size (as streaming compressors do).
std::string compress_without_size(const std::string& data) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_contentSizeFlag, 0);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress2(ctx.get(), out.data(), out.size(), data.data(), data.size());
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

TEST(ZstdDecompressStreamTest, HandlesFramesWithoutContentSizeAndConcatenation) {
  const std::string text(200000, 'a');
  const std::string frame = compress_without_size(text);
  ASSERT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  EXPECT_EQ(zstd_decompress_stream(frame, 1 << 20).value_or("?"), text);
  const std::string two = frame + zstd_compress("tail", 3).value_or("");
  EXPECT_EQ(zstd_decompress_stream(two, 1 << 20).value_or("?"), text + "tail");
}

TEST(ZstdDecompressStreamTest, RejectsTruncatedEmptyAndOversizedInput) {
  const std::string frame = zstd_compress(std::string(5000, 'b'), 3).value_or("");
  EXPECT_FALSE(zstd_decompress_stream(frame.substr(0, frame.size() - 2), 1 << 20).ok());
  EXPECT_FALSE(zstd_decompress_stream("", 1 << 20).ok());
  EXPECT_FALSE(zstd_decompress_stream(frame, 4999).ok());
  EXPECT_TRUE(zstd_decompress_stream(frame, 5000).ok());
}

TEST_F(RawLakeReaderTest, ReadsPartsWithoutContentSize) {
  // A part written by another tool: streamed zstd, manifest without uncompressed_bytes.
  const std::string part = "raw/source=ext/date=2026-01-01/hour=02/part-1767232800000-00000001-";
  const std::string data = compress_without_size("{\"k\":1}\n{\"k\":2}\n");
  const std::string key = part + sha256_hex(data).substr(0, 8) + ".jsonl.zst";
  ASSERT_TRUE(store_->put(key, data, true).ok());
  const nlohmann::json manifest = {
      {"part", key}, {"rows", 2}, {"bytes", data.size()}, {"sha256", sha256_hex(data)}};
  ASSERT_TRUE(store_->put(manifest_key_of(key), manifest.dump(), true).ok());
  EXPECT_EQ(scan(kT0, kT0 + kHour).value_or(Seen{"error"}),
            (Seen{"ext|{\"k\":1}", "ext|{\"k\":2}"}));
}

}  // namespace
}  // namespace envmon::lake
