#pragma once
// The behaviour every Store backend owes the sink and the API, as one value-parameterised suite.
// A backend's test file includes this header once and instantiates it with a factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(&fresh_sqlite_store));
// The factory returns an open, empty store, or null with a reason to skip (no server).

#include <cmath>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"

namespace envmon::store::testing {

using StoreFactory = std::unique_ptr<Store> (*)(std::string* skip_reason);

inline const Timestamp kContractT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

inline Reading contract_reading(const std::string& station, Timestamp at, double temp, double pm25,
                                const std::string& source = "sim") {
  Reading r;
  r.source = SourceId(source);
  r.station.id = StationId(station);
  r.observed_at = at;
  r.ingested_at = at + Millis(4000);
  r.measurements.push_back({Metric::temperature, temp, std::nan(""), "", 0});
  r.measurements.push_back({Metric::pm25, pm25, std::nan(""), "", 0});
  return r;
}

inline Aggregate contract_aggregate(const std::string& station, Metric metric, Timestamp start,
                                    double mean, int64_t count, const std::string& dominant = "") {
  return Aggregate{SourceId("sim"), StationId(station), metric, start, Seconds(3600), mean,
                   mean - 1, mean + 1, count, 0, dominant};
}

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string reason;
    store_ = GetParam()(&reason);
    if (!store_) GTEST_SKIP() << reason;
  }
  void TearDown() override {
    if (store_) store_->close();
  }
  Store& s() { return *store_; }
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, ReplayedBatchChangesNothing) {
  WriteBatch b;
  for (int i = 0; i < 12; ++i)
    b.readings.push_back(contract_reading("delhi", kContractT0 + Seconds(300) * i, 10 + i, 20 + i));
  b.aggregates.push_back(contract_aggregate("delhi", Metric::pm25, kContractT0, 25, 12));
  b.dead_letters.push_back({"decode", "decode_syntax", "bad", "raw", "delhi", "{oops", kContractT0});
  ASSERT_TRUE(s().write(b).ok());
  ASSERT_TRUE(s().write(b).ok());
  auto counts = s().counts();
  ASSERT_TRUE(counts.ok()) << counts.error().to_string();
  EXPECT_EQ(counts->observations, 24);
  EXPECT_EQ(counts->aggregates, 1);
  EXPECT_EQ(counts->dead_letters, 1);
  auto rows = s().range("delhi", Metric::pm25, kContractT0, kContractT0 + Seconds(3600), 5);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ(rows->front().value, 20);
  EXPECT_EQ(rows->back().observed_at, kContractT0 + Seconds(1200));
}

TEST_P(StoreContract, LatestIgnoresLateRowsAndMaskedValuesKeepRaw) {
  WriteBatch b;
  b.readings.push_back(contract_reading("delhi", kContractT0 + Seconds(60), 1, 2));
  b.readings.back().measurements[1] = {Metric::pm25, std::nan(""), 812, "",
                                       static_cast<FlagSet>(Flag::spike)};
  ASSERT_TRUE(s().write(b).ok());
  WriteBatch late;
  late.readings.push_back(contract_reading("delhi", kContractT0, -1, -1));
  ASSERT_TRUE(s().write(late).ok());
  auto latest = s().latest("delhi");
  ASSERT_TRUE(latest.ok()) << latest.error().to_string();
  ASSERT_EQ(latest->size(), 2u);
  for (const Observation& o : *latest) {
    EXPECT_EQ(o.observed_at, kContractT0 + Seconds(60));
    if (o.metric == Metric::pm25) {
      EXPECT_TRUE(std::isnan(o.value));
      EXPECT_EQ(o.raw, 812);
      EXPECT_TRUE(has_flag(o.flags, Flag::spike));
    }
  }
}

TEST_P(StoreContract, DayBucketsWeightHourlyMeansByCount) {
  WriteBatch b;
  b.aggregates.push_back(contract_aggregate("delhi", Metric::pm25, kContractT0, 10, 1));
  b.aggregates.push_back(contract_aggregate("delhi", Metric::pm25, kContractT0 + Seconds(3600), 20, 3));
  b.aggregates.push_back(contract_aggregate("delhi", Metric::pm25, kContractT0 + Seconds(86400), 7, 2));
  ASSERT_TRUE(s().write(b).ok());
  auto got = s().buckets("delhi", Metric::pm25, kContractT0, kContractT0 + Seconds(2 * 86400),
                         Seconds(86400));
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_DOUBLE_EQ((*got)[0].mean, (10.0 + 3 * 20.0) / 4);
  EXPECT_EQ((*got)[0].count, 4);
  EXPECT_EQ((*got)[0].min, 9);
  EXPECT_EQ((*got)[0].max, 21);
  EXPECT_EQ((*got)[1].start, kContractT0 + Seconds(86400));
}

TEST_P(StoreContract, AnomaliesAreIdempotentAndNewestFirst) {
  std::vector<AnomalyRecord> a = {
      {"delhi", Metric::pm25, kContractT0, "robust_zscore", 4.5, 310, R"({"z":4.5})"},
      {"delhi", Metric::pm25, kContractT0 + Seconds(3600), "robust_zscore", 5, 330, "{}"},
      {"tokyo", Metric::no2, kContractT0 + Seconds(60), "isolation_forest", 0.7, 80, "{}"}};
  ASSERT_TRUE(s().write_anomalies(a).ok());
  a[0].score = 4.6;  // a re-run rewrites its own row
  ASSERT_TRUE(s().write_anomalies(a).ok());
  auto all = s().anomalies("", kContractT0, kContractT0 + Seconds(86400), 10);
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].at, kContractT0 + Seconds(3600));
  EXPECT_EQ((*all)[2].score, 4.6);
  EXPECT_EQ((*all)[2].explanation_json, R"({"z":4.5})");
  auto delhi = s().anomalies("delhi", kContractT0, kContractT0 + Seconds(86400), 1);
  ASSERT_TRUE(delhi.ok());
  ASSERT_EQ(delhi->size(), 1u);
  EXPECT_EQ((*delhi)[0].value, 330);
}

TEST_P(StoreContract, ClusterLabelsAreThoseOfTheNewestModel) {
  ASSERT_TRUE(s().put_cluster_labels({{"delhi", 1, "profiles/1", 0.4, kContractT0},
                                      {"tokyo", 0, "profiles/1", 0.5, kContractT0}})
                  .ok());
  ASSERT_TRUE(s().put_cluster_labels({{"delhi", 2, "profiles/2", 0.6, kContractT0 + Seconds(60)}})
                  .ok());
  ASSERT_TRUE(s().put_cluster_labels({{"delhi", 2, "profiles/2", 0.6, kContractT0 + Seconds(60)}})
                  .ok());
  auto got = s().cluster_labels();
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].station, "delhi");
  EXPECT_EQ((*got)[0].cluster, 2);
  EXPECT_EQ((*got)[0].model, "profiles/2");
}

TEST_P(StoreContract, TopStationsRankTheNewestAqiHour) {
  WriteBatch b;
  for (const char* st : {"delhi", "tokyo", "lima"})
    b.readings.push_back(contract_reading(st, kContractT0, 1, 1));
  b.aggregates.push_back(contract_aggregate("delhi", Metric::aqi_us, kContractT0, 300, 1, "pm25"));
  b.aggregates.push_back(
      contract_aggregate("delhi", Metric::aqi_us, kContractT0 + Seconds(3600), 150, 1, "pm25"));
  b.aggregates.push_back(contract_aggregate("tokyo", Metric::aqi_us, kContractT0, 40, 1, "o3"));
  b.aggregates.push_back(contract_aggregate("lima", Metric::aqi_us, kContractT0, 180, 1, "pm10"));
  b.aggregates.push_back(contract_aggregate("lima", Metric::aqi_in, kContractT0, 500, 1, "pm10"));
  ASSERT_TRUE(s().write(b).ok());
  auto top = s().top_stations_by_aqi(Metric::aqi_us, 2);
  ASSERT_TRUE(top.ok()) << top.error().to_string();
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[0].station, "lima");
  EXPECT_EQ((*top)[0].aqi, 180);
  EXPECT_EQ((*top)[0].dominant, "pm10");
  EXPECT_EQ((*top)[1].station, "delhi");  // its newest hour (150), not its worst (300)
  EXPECT_EQ((*top)[1].at, kContractT0 + Seconds(3600));
  auto bad = s().top_stations_by_aqi(Metric::pm25, 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Errc::invalid_argument);
}

// Raw rows older than the horizon go, aggregates stay, and 15-minute buckets across the horizon
// are answered from the hourly aggregates before it: no gap.
TEST_P(StoreContract, RetentionDeletesRawButBucketsHaveNoGap) {
  WriteBatch b;
  for (int i = 0; i < 48; ++i) {  // two days: four readings and one aggregate an hour
    const Timestamp hour = kContractT0 + Seconds(3600) * i;
    for (int k = 0; k < 4; ++k)
      b.readings.push_back(contract_reading("delhi", hour + Seconds(900) * k, 10, 20));
    b.aggregates.push_back(contract_aggregate("delhi", Metric::pm25, hour, 20, 4));
  }
  ASSERT_TRUE(s().write(b).ok());
  auto report = s().apply_retention(kContractT0 + Seconds(86400) + Seconds(1800));
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->raw_horizon, kContractT0 + Seconds(86400));
  EXPECT_EQ(report->raw_rows_deleted, 24 * 4 * 2);
  auto counts = s().counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->observations, 24 * 4 * 2);
  EXPECT_EQ(counts->aggregates, 48);
  auto got = s().buckets("delhi", Metric::pm25, kContractT0 + Seconds(86400 - 7200),
                         kContractT0 + Seconds(86400 + 3600), Seconds(900));
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  ASSERT_EQ(got->size(), 2u + 4u);  // two hourly buckets before the horizon, four after
  EXPECT_EQ((*got)[0].start, kContractT0 + Seconds(86400 - 7200));
  EXPECT_EQ((*got)[1].count, 4);
  EXPECT_EQ((*got)[2].start, kContractT0 + Seconds(86400));
  EXPECT_EQ((*got)[5].start, kContractT0 + Seconds(86400 + 2700));
  auto again = s().apply_retention(kContractT0 + Seconds(86400));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->raw_rows_deleted, 0);
}

}  // namespace envmon::store::testing
