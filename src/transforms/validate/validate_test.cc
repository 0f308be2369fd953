#include "transforms/validate/validate.h"

#include <cmath>

#include <gtest/gtest.h>

namespace envmon::transforms {
namespace {

Reading reading_with(std::vector<Measurement> ms) {
  Reading r;
  r.source = SourceId("sim");
  r.station.id = StationId("delhi");
  r.observed_at = from_unix_ms(1'000'000'000'000);
  r.ingested_at = r.observed_at;
  r.measurements = std::move(ms);
  return r;
}

TEST(ValidateReading, UnknownStationIsRejectedWithItsName) {
  auto r = reading_with({{Metric::pm25, 5, std::nan(""), "", 0}});
  auto v = validate_reading(r, false, ValidateConfig{});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code(), Errc::validate_station);
  EXPECT_NE(v.error().message().find("delhi"), std::string::npos);
}

TEST(ValidateReading, NullsAreDroppedAndCounted) {
  auto r = reading_with({{Metric::pm25, std::nan(""), std::nan(""), "", 0}, {Metric::pm10, 7, std::nan(""), "", 0}});
  auto v = validate_reading(r, true, ValidateConfig{});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->nulls_dropped, 1u);
  ASSERT_EQ(r.measurements.size(), 1u);
  EXPECT_EQ(r.measurements[0].metric, Metric::pm10);
}

TEST(ValidateReading, EmptyMeasurementsAreRejected) {
  auto r = reading_with({});
  EXPECT_FALSE(validate_reading(r, true, ValidateConfig{}).ok());
}

TEST(ValidateReading, FutureTimestampIsFlaggedOrRejectedByPolicy) {
  auto r = reading_with({{Metric::pm25, 5, std::nan(""), "", 0}});
  r.observed_at += Seconds(600);
  auto flagged = validate_reading(r, true, ValidateConfig{300, ClockSkewPolicy::flag});
  ASSERT_TRUE(flagged.ok());
  EXPECT_TRUE(flagged->clock_skew);
  EXPECT_TRUE(has_flag(r.measurements[0].flags, Flag::clock_skew));
  auto rejected = validate_reading(r, true, ValidateConfig{300, ClockSkewPolicy::reject});
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code(), Errc::validate_time);
  auto tolerated = reading_with({{Metric::pm25, 5, std::nan(""), "", 0}});
  tolerated.observed_at += Seconds(200);
  EXPECT_FALSE(validate_reading(tolerated, true, ValidateConfig{})->clock_skew);
}

}  // namespace
}  // namespace envmon::transforms
