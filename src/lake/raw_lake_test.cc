#include "lake/raw_lake.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "lake/file/file_object_store.h"

namespace envmon::lake {
namespace {

const Timestamp kT0 = from_unix_ms(1767232800000);  // 2026-01-01T02:00:00Z

class RawLakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("envmon_lake_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    store_ = make_file_object_store(root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::vector<ObjectInfo> parts() {
    std::vector<ObjectInfo> out;
    for (auto& o : store_->list("raw/source=").value_or(std::vector<ObjectInfo>{})) {
      if (o.key.ends_with(".jsonl.zst")) out.push_back(o);
    }
    return out;
  }
  std::string all_rows() {
    std::string out;
    for (const auto& p : parts())
      out += zstd_decompress(store_->get(p.key).value_or("")).value_or("?");
    return out;
  }

  std::filesystem::path root_;
  std::unique_ptr<ObjectStore> store_;
  RawLakeConfig config_;
};

TEST(RawLakePathTest, PartitionPrefixUsesUtcDateAndHourOfIngest) {
  EXPECT_EQ(raw_partition_prefix("sim", kT0 + Seconds(59 * 60)),
            "raw/source=sim/date=2026-01-01/hour=02/");
  EXPECT_EQ(raw_partition_prefix("a/b", kT0 + Seconds(22 * 3600)),
            "raw/source=a_b/date=2026-01-02/hour=00/");
}

TEST_F(RawLakeTest, WritesZstdPartsWithManifestsPerHour) {
  RawLake lake(*store_, config_);
  ASSERT_TRUE(lake.start().ok());
  ASSERT_TRUE(lake.append("sim", "delhi", kT0, R"({"n":1})").ok());
  ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(10), R"({"n":2})").ok());
  ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(3600), R"({"n":3})").ok());
  EXPECT_EQ(lake.buffered_rows(), 3u);
  ASSERT_TRUE(lake.flush().ok());
  EXPECT_EQ(lake.buffered_rows(), 0u);
  auto ps = parts();
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_TRUE(ps[0].key.starts_with("raw/source=sim/date=2026-01-01/hour=02/part-1767232800000-"));
  EXPECT_TRUE(ps[1].key.starts_with("raw/source=sim/date=2026-01-01/hour=03/part-"));
  EXPECT_EQ(zstd_decompress(store_->get(ps[0].key).value_or("")).value_or(""),
            "{\"n\":1}\n{\"n\":2}\n");
  for (const auto& p : ps) {
    const std::string data = store_->get(p.key).value_or("");
    const size_t slash = p.key.rfind('/');
    const std::string manifest_key = p.key.substr(0, slash) + "/_manifest/" +
                                     p.key.substr(slash + 1, p.key.size() - slash - 11) + ".json";
    auto manifest = nlohmann::json::parse(store_->get(manifest_key).value_or("{}"));
    EXPECT_EQ(manifest["sha256"], sha256_hex(data)) << manifest_key;
    EXPECT_EQ(manifest["bytes"], data.size());
    EXPECT_EQ(manifest["part"], p.key);
    EXPECT_TRUE(p.key.find(sha256_hex(data).substr(0, 8)) != std::string::npos);
  }
}

TEST_F(RawLakeTest, CutsAPartWhenTheBufferIsFull) {
  config_.max_part_bytes = 1024;
  RawLake lake(*store_, config_);
  ASSERT_TRUE(lake.start().ok());
  const std::string payload(300, 'x');
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(i), payload).ok());
  EXPECT_EQ(lake.parts_written(), 2);  // cut at 4 x 301 bytes, twice
  ASSERT_TRUE(lake.flush().ok());
  EXPECT_EQ(parts().size(), 3u);
}

TEST_F(RawLakeTest, RestartSkipsMessagesAlreadyInTheLake) {
  {
    RawLake lake(*store_, config_);
    ASSERT_TRUE(lake.start().ok());
    ASSERT_TRUE(lake.append("sim", "delhi", kT0, "a").ok());
    ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(5), "b").ok());
    ASSERT_TRUE(
        lake.append("sim", "delhi", kT0 + Seconds(5), "c").ok());  // same ingest, new payload
    ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(5), "c").ok());  // in-session duplicate
    ASSERT_TRUE(lake.append("sim", "tokyo", kT0, "t").ok());
    EXPECT_EQ(lake.skipped_duplicates(), 1);
    ASSERT_TRUE(lake.flush().ok());
  }
  RawLake lake(*store_, config_);
  ASSERT_TRUE(lake.start().ok());
  // The bus re-delivers everything after a crash; only the new message is written.
  for (auto [st, at, p] : {std::tuple{"delhi", kT0, "a"},
                           {"delhi", kT0 + Seconds(5), "b"},
                           {"delhi", kT0 + Seconds(5), "c"},
                           {"tokyo", kT0, "t"},
                           {"delhi", kT0 + Seconds(9), "d"}}) {
    ASSERT_TRUE(lake.append("sim", st, at, p).ok());
  }
  EXPECT_EQ(lake.skipped_duplicates(), 4);
  ASSERT_TRUE(lake.flush().ok());
  EXPECT_EQ(all_rows().size(), std::string("a\nb\nc\nt\nd\n").size());
  EXPECT_NE(all_rows().find("d\n"), std::string::npos);
}

TEST_F(RawLakeTest, FactoryResolvesRootAgainstDataDir) {
  auto node = config::load_text("root: mylake\nzstd_level: 5\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto lake = make_file_lake(*node, root_.string());
  ASSERT_TRUE(lake.ok()) << lake.error().to_string();
  EXPECT_EQ((*lake)->config().root, (root_ / "mylake").string());
  EXPECT_EQ((*lake)->config().zstd_level, 5);
  ASSERT_TRUE((*lake)->start().ok());
  ASSERT_TRUE((*lake)->append("sim", kT0, "x").ok());
  ASSERT_TRUE((*lake)->flush().ok());
  EXPECT_TRUE(std::filesystem::exists(root_ / "mylake" / "raw" / "source=sim"));
  auto bad = config::load_text("zstd_level: 99\n", "t.yaml");
  EXPECT_FALSE(make_file_lake(*bad, "/tmp").ok());
  EXPECT_FALSE(file_lake_schema_docs().empty());
}

}  // namespace
}  // namespace envmon::lake
