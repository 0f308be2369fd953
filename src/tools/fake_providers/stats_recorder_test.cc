#include "tools/fake_providers/stats_recorder.h"

#include <gtest/gtest.h>

namespace envmon::fake_providers {
namespace {

TEST(StatsRecorder, SlidingWindowMaximaAreExact) {
  StatsRecorder rec;
  // Window (t - 60 s, t]: at 61 s it holds 30 s, 59.999 s, 60 s and 61 s; 0 s has left.
  for (const int64_t t : {0, 30'000, 59'999, 60'000, 61'000})
    rec.record_arrival(Provider::waqi, t);
  // 3 more an hour later: the hour window ending at 3,600,030 ms holds all but the first.
  for (const int64_t t : {3'600'000, 3'600'010, 3'600'030})
    rec.record_arrival(Provider::waqi, t);
  const ProviderStats s = rec.snapshot().providers.at("waqi");
  EXPECT_EQ(s.total, 8);
  EXPECT_EQ(s.max_per_minute, 4);
  EXPECT_EQ(s.max_per_hour, 7);
  EXPECT_EQ(s.max_per_day, 8);
}

TEST(StatsRecorder, OutOfOrderArrivalsStaySorted) {
  StatsRecorder rec;
  for (const int64_t t : {10'000, 5'000, 70'000, 69'000})
    rec.record_arrival(Provider::openmeteo, t);
  // Sorted: 5, 10, 69, 70 s. No 60 s window holds more than two of them.
  EXPECT_EQ(rec.snapshot().providers.at("openmeteo").max_per_minute, 2);
}

TEST(StatsRecorder, CountsStatusesFaultsAndObservations) {
  StatsRecorder rec;
  rec.record_status(Provider::openweathermap, 200);
  rec.record_status(Provider::openweathermap, 200);
  rec.record_status(Provider::openweathermap, 0);
  rec.record_fault(Provider::openweathermap, "reset");
  rec.record_observation(Provider::openweathermap, "1.0000,2.0000", 600);
  rec.record_observation(Provider::openweathermap, "1.0000,2.0000", 1200);
  const ProviderStats s = rec.snapshot().providers.at("openweathermap");
  EXPECT_EQ(s.by_status.at(200), 2);
  EXPECT_EQ(s.by_status.at(0), 1);
  EXPECT_EQ(s.faults.at("reset"), 1);
  EXPECT_EQ(s.station_observations.at("1.0000,2.0000"), (std::vector<int64_t>{600, 1200}));
  rec.reset();
  EXPECT_EQ(rec.snapshot().providers.at("openweathermap").by_status.size(), 0u);
}

}  // namespace
}  // namespace envmon::fake_providers
