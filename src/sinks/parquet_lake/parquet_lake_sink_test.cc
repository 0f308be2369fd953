#include "sinks/parquet_lake/parquet_lake_sink.h"

#include <cmath>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bus/memory/memory_bus.h"
#include "lake/fault_object_store.h"
#include "lake/file/file_object_store.h"
#include "lake/parquet/parquet_reader.h"
#include "model/codec.h"
#include "sinks/sink_common.h"

namespace envmon::sinks {
namespace {

const Timestamp kT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

Reading reading(const std::string& station, Timestamp at) {
  Reading r;
  r.source = SourceId("sim");
  r.station = StationRef{StationId(station), station, 1, 2};
  r.observed_at = at;
  r.ingested_at = at + Seconds(4);
  r.measurements.push_back({Metric::temperature, 21.5, std::nan(""), "", 0});
  r.enrichment = Enrichment{"europe", "UTC", 0, ""};
  return r;
}

class ParquetLakeSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("envmon_pqsink_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    files_ = lake::make_file_object_store(dir_.string());
    bus_ = bus::make_memory_bus({4, 1024});
    producer_ = std::move(*bus_->producer());
    config_.poll_timeout_ms = 20;
    config_.retry_initial_ms = 1;
    config_.retry_max_ms = 5;
    config_.drain_timeout_ms = 20000;
    lake_config_.flush_interval_ms = 20;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void send(const std::string& payload, const std::string& key) {
    bus::Message m;
    m.topic = bus::Topic::curated;
    m.key = key;
    m.payload = payload;
    ASSERT_TRUE(producer_->send(std::move(m), Millis(1000)).ok());
  }
  int64_t committed() {
    return committed_total(*bus_, ParquetLakeSink::kGroup, bus::Topic::curated);
  }
  int64_t rows_in_lake() {
    int64_t n = 0;
    auto listing = files_->list("curated/date=");
    EXPECT_TRUE(listing.ok());
    for (const auto& o : listing.ok() ? *listing : std::vector<lake::ObjectInfo>{})
      n += static_cast<int64_t>(lake::parquet::read_parquet(*files_->get(o.key))->rows());
    return n;
  }
  ComponentContext ctx() { return ComponentContext("sink", "parquet_lake", "t", registry_, clock_); }

  std::filesystem::path dir_;
  MetricsRegistry registry_;
  ManualClock clock_{kT0};
  std::unique_ptr<lake::ObjectStore> files_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::Producer> producer_;
  SinkConfig config_;
  lake::CuratedLakeConfig lake_config_;
};

TEST_F(ParquetLakeSinkTest, WritesCuratedReadingsThenCommits) {
  lake::CuratedLake lake(*files_, lake_config_);
  ParquetLakeSink sink(ctx(), *bus_, lake, config_);
  ASSERT_TRUE(sink.start().ok());
  for (int i = 0; i < 40; ++i)
    send(encode_reading(reading(i % 2 ? "london" : "berlin", kT0 + Seconds(60 * i))),
         i % 2 ? "london" : "berlin");
  send("{not json", "x");
  sink.stop();
  EXPECT_EQ(committed(), 41);
  EXPECT_EQ(rows_in_lake(), 40);
}

TEST_F(ParquetLakeSinkTest, DiskFullBackPressuresAndNothingIsLostOrDoubledAfterRecovery) {
  lake::FaultObjectStore faulty(*files_);
  lake::CuratedLake lake(faulty, lake_config_);
  ParquetLakeSink sink(ctx(), *bus_, lake, config_);
  ASSERT_TRUE(sink.start().ok());
  faulty.fail_writes(true);
  for (int i = 0; i < 30; ++i)
    send(encode_reading(reading("london", kT0 + Seconds(60 * i))), "london");
  while (faulty.failed_writes() < 3)  // the sink keeps retrying ...
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(committed(), 0);  // ... and commits nothing while the disk is full
  EXPECT_EQ(rows_in_lake(), 0);
  faulty.fail_writes(false);
  for (int i = 30; i < 40; ++i)
    send(encode_reading(reading("london", kT0 + Seconds(60 * i))), "london");
  sink.stop();
  EXPECT_EQ(committed(), 40);
  EXPECT_EQ(rows_in_lake(), 40);
}

}  // namespace
}  // namespace envmon::sinks
