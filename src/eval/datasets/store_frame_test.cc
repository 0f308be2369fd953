#include "eval/datasets/store_frame.h"

#include <cmath>
#include <filesystem>

#include <unistd.h>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store_config.h"

namespace envmon::eval {
namespace {

using features::Raw;

TEST(StoreFrame, HourlyAggregatesOnTheGridInLocalTime) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("envmon_store_frame_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  store::sqlite::SqliteStoreConfig cfg;
  cfg.path = (dir / "t.db").string();
  auto s = store::sqlite::make_sqlite_store(cfg);
  ASSERT_TRUE(s->open().ok());
  ASSERT_TRUE(s->upsert_stations({{"delhi", "Delhi", 28.6, 77.2, "Asia/Kolkata", "in"}}).ok());
  const Timestamp t0 = from_unix_ms(1704067200000);  // 2024-01-01T00:00Z
  store::WriteBatch b;
  for (int h : {0, 1, 3}) {
    b.aggregates.push_back({SourceId("sim"), StationId("delhi"), Metric::pm25,
                            t0 + Seconds(3600 * h), Seconds(3600), 10.0 + h, 9, 14, 12, 0, ""});
  }
  b.aggregates.push_back({SourceId("sim"), StationId("delhi"), Metric::temperature, t0,
                          Seconds(3600), 21.5, 20, 23, 12, 0, ""});
  ASSERT_TRUE(s->write(b).ok());
  auto d = read_store_dataset(*s, "delhi", t0, t0 + Seconds(4 * 3600));
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  ASSERT_EQ(d->frame.size(), 4u);
  EXPECT_EQ(d->frame.utc_offset_secs, 5 * 3600 + 1800);
  EXPECT_EQ(d->frame.col(Raw::pm25)[1], 11);
  EXPECT_TRUE(std::isnan(d->frame.col(Raw::pm25)[2]));  // no aggregate that hour
  EXPECT_EQ(d->frame.col(Raw::temperature)[0], 21.5);
  EXPECT_FALSE(read_store_dataset(*s, "nowhere", t0, t0 + Seconds(3600)).ok());
  s->close();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace envmon::eval
