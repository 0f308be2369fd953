#include "lake/curated_lake.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/mount.h>
#include <unistd.h>

#include "lake/fault_object_store.h"
#include "lake/file/file_object_store.h"
#include "lake/parquet/parquet_reader.h"
#include "model/codec.h"

namespace envmon::lake {
namespace {

const Timestamp kT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

Reading reading(const std::string& station, const std::string& region, Timestamp at) {
  Reading r;
  r.source = SourceId("sim");
  r.station = StationRef{StationId(station), station, 1, 2};
  r.observed_at = at;
  r.ingested_at = at + Seconds(4);
  r.measurements.push_back({Metric::temperature, 21.5, std::nan(""), "", 0});
  r.measurements.push_back({Metric::pm25, std::nan(""), 9999, "", 1});  // masked: value null
  if (!region.empty()) r.enrichment = Enrichment{region, "UTC", 0, ""};
  return r;
}

class CuratedLakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("envmon_curated_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = make_file_object_store(dir_.string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void add(CuratedLake& lake, const Reading& r) { lake.append(r, encode_reading(r)); }
  std::vector<ObjectInfo> listing(const std::string& prefix) {
    auto l = store_->list(prefix);
    EXPECT_TRUE(l.ok());
    return l.ok() ? *l : std::vector<ObjectInfo>{};
  }

  // Every curated part's rows, read back: (station, observed ms, metric) -> count.
  std::map<std::tuple<std::string, int64_t, std::string>, int> rows_in_lake() {
    std::map<std::tuple<std::string, int64_t, std::string>, int> out;
    for (const auto& o : listing("curated/date=")) {
      auto t = parquet::read_parquet(*store_->get(o.key));
      EXPECT_TRUE(t.ok()) << o.key;
      for (size_t r = 0; r < t->rows(); ++r)
        ++out[{t->column(1).strings[r], t->column(5).ints[r], t->column(3).strings[r]}];
    }
    return out;
  }
  size_t parts() { return listing("curated/date=").size(); }

  std::filesystem::path dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(CuratedLakeTest, WritesOneRowPerMeasurementPartitionedByDateAndRegion) {
  CuratedLake lake(*store_, {});
  ASSERT_TRUE(lake.start().ok());
  add(lake, reading("delhi", "south-asia", kT0));
  add(lake, reading("tokyo", "east-asia", kT0 + Seconds(60)));
  add(lake, reading("nowhere", "", kT0 + Seconds(86400)));
  ASSERT_TRUE(lake.flush().ok());
  const auto keys = listing("curated/date=");
  ASSERT_EQ(keys.size(), 3U);
  EXPECT_EQ(keys[0].key.rfind("curated/date=2026-01-01/region=east-asia/part-", 0), 0U);
  EXPECT_EQ(keys[1].key.rfind("curated/date=2026-01-01/region=south-asia/part-", 0), 0U);
  EXPECT_EQ(keys[2].key.rfind("curated/date=2026-01-02/region=_unknown/part-", 0), 0U);

  auto t = parquet::read_parquet(*store_->get(keys[1].key));
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  ASSERT_EQ(t->rows(), 2U);
  EXPECT_EQ(t->schema().size(), curated_schema().size());
  EXPECT_EQ(t->column(0).strings[0], "sim");
  EXPECT_EQ(t->column(2).strings[0], "south-asia");
  EXPECT_EQ(t->column(3).strings[0], "temperature");
  EXPECT_EQ(t->column(4).strings[0], "degC");
  EXPECT_EQ(t->column(5).ints[0], to_unix_ms(kT0));
  EXPECT_EQ(t->column(7).doubles[0], 21.5);
  EXPECT_EQ(t->column(7).defined[1], 0);  // masked pm25: value null, raw kept, flag set
  EXPECT_EQ(t->column(8).doubles[1], 9999);
  EXPECT_EQ(t->column(9).ints[1], 1);
  auto unknown = parquet::read_parquet(*store_->get(keys[2].key));
  EXPECT_EQ(unknown->column(2).defined[0], 0);  // no region: null
}

TEST_F(CuratedLakeTest, ReDeliveredReadingsAreNotWrittenTwiceAcrossRestarts) {
  {
    CuratedLake lake(*store_, {});
    ASSERT_TRUE(lake.start().ok());
    for (int i = 0; i < 10; ++i)
      add(lake, reading("delhi", "south-asia", kT0 + Seconds(60 * i)));
    ASSERT_TRUE(lake.flush().ok());
  }
  CuratedLake again(*store_, {});
  ASSERT_TRUE(again.start().ok());
  for (int i = 0; i < 12; ++i)  // the first 10 again (re-delivery), then 2 new ones
    add(again, reading("delhi", "south-asia", kT0 + Seconds(60 * i)));
  ASSERT_TRUE(again.flush().ok());
  EXPECT_EQ(again.skipped_duplicates(), 10);
  const auto rows = rows_in_lake();
  EXPECT_EQ(rows.size(), 24U);
  for (const auto& [k, n] : rows)
    EXPECT_EQ(n, 1);
}

TEST_F(CuratedLakeTest, DiskFullKeepsTheBufferAndTheRetryWritesEachRowOnce) {
  FaultObjectStore faulty(*store_);
  CuratedLake lake(faulty, {});
  ASSERT_TRUE(lake.start().ok());
  add(lake, reading("delhi", "south-asia", kT0));
  add(lake, reading("tokyo", "east-asia", kT0));
  faulty.fail_writes(true);
  Status s = lake.flush();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().retryable());
  EXPECT_NE(s.error().message().find("No space left on device"), std::string::npos);
  EXPECT_NE(s.error().message().find("curated/date=2026-01-01/region="), std::string::npos);
  EXPECT_EQ(lake.buffered_rows(), 4U);
  faulty.fail_only_keys_with("region=south-asia");  // east-asia is written, south-asia is not
  ASSERT_FALSE(lake.flush().ok());
  EXPECT_EQ(lake.buffered_rows(), 2U);
  faulty.fail_writes(false);
  ASSERT_TRUE(lake.flush().ok());
  EXPECT_EQ(lake.buffered_rows(), 0U);
  const auto rows = rows_in_lake();
  EXPECT_EQ(rows.size(), 4U);
  for (const auto& [k, n] : rows)
    EXPECT_EQ(n, 1);
}

// A real full filesystem: a 1 MiB tmpfs (needs root, as in CI; skipped otherwise).
TEST_F(CuratedLakeTest, RealDiskFullIsARetryableErrorAndTheRetryWritesEachRowOnce) {
  const std::filesystem::path mnt = dir_ / "tiny";
  std::filesystem::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a small tmpfs (" << std::strerror(errno) << "); the "
                 << "FaultObjectStore test covers the same path";
  struct Unmount {
    std::filesystem::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  auto store = make_file_object_store((mnt / "lake").string());
  {
    std::ofstream filler(mnt / "filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (filler.write(block.data(), block.size()))
      ;
  }
  CuratedLake lake(*store, {});
  ASSERT_TRUE(lake.start().ok());
  for (int i = 0; i < 200; ++i)
    add(lake, reading("delhi", "south-asia", kT0 + Seconds(60 * i)));
  Status s = lake.flush();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().retryable());
  EXPECT_NE(s.error().message().find("No space left on device"), std::string::npos);
  std::filesystem::remove(mnt / "filler");
  ASSERT_TRUE(lake.flush().ok());
  auto listing = store->list("curated/date=");
  ASSERT_TRUE(listing.ok());
  size_t rows = 0;
  for (const auto& o : *listing)
    rows += parquet::read_parquet(*store->get(o.key))->rows();
  EXPECT_EQ(rows, 400U);
}

TEST_F(CuratedLakeTest, CompactionMergesSmallFilesWithoutLosingOrDoublingRows) {
  CuratedLakeConfig cfg;
  cfg.compact_min_files = 4;
  CuratedLake lake(*store_, cfg);
  ASSERT_TRUE(lake.start().ok());
  for (int i = 0; i < 6; ++i) {
    add(lake, reading("delhi", "south-asia", kT0 + Seconds(60 * i)));
    ASSERT_TRUE(lake.flush().ok());
  }
  EXPECT_EQ(parts(), 6U);
  const auto before = rows_in_lake();
  ASSERT_TRUE(lake.compact().ok());
  EXPECT_EQ(parts(), 1U);
  EXPECT_EQ(lake.files_compacted(), 6);
  EXPECT_EQ(rows_in_lake(), before);
  EXPECT_TRUE(listing("curated/_compaction/").empty());
}

TEST_F(CuratedLakeTest, StartCompletesACompactionInterruptedAfterItsOutputWasWritten) {
  CuratedLakeConfig cfg;
  cfg.compact_min_files = 2;
  {
    CuratedLake lake(*store_, cfg);
    ASSERT_TRUE(lake.start().ok());
    for (int i = 0; i < 2; ++i) {
      add(lake, reading("delhi", "south-asia", kT0 + Seconds(60 * i)));
      ASSERT_TRUE(lake.flush().ok());
    }
  }
  // A crash between writing the merged file and deleting its inputs: intent + output + inputs.
  const auto inputs = listing("curated/date=");
  ASSERT_EQ(inputs.size(), 2U);
  const std::string output = "curated/date=2026-01-01/region=south-asia/part-0-99999999-x.parquet";
  ASSERT_TRUE(store_->put(output, *store_->get(inputs[0].key), true).ok());
  nlohmann::json intent = {{"output", output},
                           {"inputs", {inputs[0].key, inputs[1].key}}};
  ASSERT_TRUE(store_->put("curated/_compaction/00000099.json", intent.dump(), true).ok());
  CuratedLake lake(*store_, cfg);
  ASSERT_TRUE(lake.start().ok());
  const auto after = listing("curated/date=");
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0].key, output);
  EXPECT_TRUE(listing("curated/_compaction/").empty());
}

TEST_F(CuratedLakeTest, BadConfigAndBadCheckpointAreClearErrors) {
  auto node = config::load_text("curated: {format: csv, max_file_rows: 5}", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_curated_lake_config(*node);
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("format"), std::string::npos);
  EXPECT_NE(cfg.error().message().find("max_file_rows"), std::string::npos);

  ASSERT_TRUE(store_->put("curated/_checkpoints/ckpt-000000000001.json", "{oops", true).ok());
  CuratedLake lake(*store_, {});
  Status s = lake.start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("curated/_checkpoints/ckpt-000000000001.json"),
            std::string::npos);
}

}  // namespace
}  // namespace envmon::lake
