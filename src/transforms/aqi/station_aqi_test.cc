// StationAqi: averaging windows, completeness rules, revisions and eviction.

#include <chrono>
#include <cmath>

#include <gtest/gtest.h>

#include "core/time.h"
#include "model/metric.h"
#include "transforms/aqi/aqi.h"

namespace envmon::transforms::aqi {
namespace {

// 2023-11-14T22:00:00Z, an hour boundary.
const Timestamp kT0 = floor_to(from_unix_ms(1'700'000'000'000), std::chrono::hours(1));

Timestamp hour(int h) {
  return kT0 + std::chrono::hours(h);
}

double ppb_to_ug(Metric gas, double ppb) {
  return ppb * metric_info(gas).molar_mass_g_mol / 24.45;
}

// Fills `count` hours ending with hour `last` (inclusive) with one value.
void fill(StationAqi& s, Metric m, int last, int count, double value) {
  for (int h = last - count + 1; h <= last; ++h)
    s.set_hour(m, hour(h), value);
}

TEST(StationAqi, EmptyStateIsInvalid) {
  const StationAqi s;
  for (Standard standard : {Standard::us_epa, Standard::india_naqi}) {
    const IndexResult r = s.compute(standard, hour(0));
    EXPECT_FALSE(r.valid);
    EXPECT_NE(r.reason.find("insufficient data"), std::string::npos) << r.reason;
  }
}

TEST(StationAqi, UsPmUsesNowcast) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 35.5);
  const IndexResult r = s.compute(Standard::us_epa, hour(0));
  ASSERT_TRUE(r.valid) << r.reason;
  EXPECT_EQ(r.value, 101);
  EXPECT_EQ(r.dominant, Metric::pm25);
  EXPECT_EQ(r.category, "Unhealthy for Sensitive Groups");
  EXPECT_TRUE(r.reason.empty());
}

TEST(StationAqi, UsDominantIsTheMaximum) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 9.0);                                // 50
  s.set_hour(Metric::no2, hour(0), ppb_to_ug(Metric::no2, 101.5));  // 101
  const IndexResult r = s.compute(Standard::us_epa, hour(0));
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.value, 101);
  EXPECT_EQ(r.dominant, Metric::no2);
}

TEST(StationAqi, RevisionChangesTheResult) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 9.0);
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0)).value, 50);
  s.set_hour(Metric::pm25, hour(0), 30.0);  // late correction of the newest hour
  const double revised = s.compute(Standard::us_epa, hour(0)).value;
  EXPECT_GT(revised, 50);
  s.set_hour(Metric::pm25, hour(0), 9.0);  // and back
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0)).value, 50);
}

TEST(StationAqi, NowcastNeedsTwoOfTheLastThreeHours) {
  StationAqi s;
  fill(s, Metric::pm25, -2, 10, 20.0);  // hours -11..-2 present; -1 and 0 missing
  EXPECT_FALSE(s.compute(Standard::us_epa, hour(0)).valid);
  s.set_hour(Metric::pm25, hour(-1), 20.0);  // now -1 and -2 of the last three
  EXPECT_TRUE(s.compute(Standard::us_epa, hour(0)).valid);
  s.set_hour(Metric::pm25, hour(-1), std::nan(""));  // a revision to "missing" clears the hour
  EXPECT_FALSE(s.compute(Standard::us_epa, hour(0)).valid);
}

TEST(StationAqi, UsOzoneTakesTheHigherOfEightAndOneHour) {
  StationAqi s;
  fill(s, Metric::o3, -1, 7, ppb_to_ug(Metric::o3, 60.5));
  EXPECT_EQ(s.compute(Standard::us_epa, hour(-1)).value, 67);     // 8-h 0.060 ppm (7 of 8 hours)
  s.set_hour(Metric::o3, hour(0), ppb_to_ug(Metric::o3, 165.5));  // 1-h 0.165 ppm -> 151
  const IndexResult r = s.compute(Standard::us_epa, hour(0));
  EXPECT_EQ(r.value, 151);
  EXPECT_EQ(r.dominant, Metric::o3);
}

TEST(StationAqi, UsSo2SwitchesToTwentyFourHourRows) {
  StationAqi s;
  s.set_hour(Metric::so2, hour(0), ppb_to_ug(Metric::so2, 400.5));
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0)).value, 200);  // no 24-h average: 1-h tops at 200
  fill(s, Metric::so2, 0, 24, ppb_to_ug(Metric::so2, 400.5));
  // 24-h 400 ppb: (99 / 299) * (400 - 305) + 201 = 232.45
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0)).value, 232);
}

TEST(StationAqi, UsBeyondTheAqiIsCappedAndNoted) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 400.0);
  const IndexResult r = s.compute(Standard::us_epa, hour(0));
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.value, 500);
  EXPECT_EQ(r.category, "Hazardous");
  EXPECT_NE(r.reason.find("beyond the AQI"), std::string::npos) << r.reason;
}

TEST(StationAqi, UsIgnoresLaterHours) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 9.0);
  fill(s, Metric::pm25, 3, 3, 300.0);  // hours 1..3 are after the hour being computed
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0)).value, 50);
}

TEST(StationAqi, IndiaNeedsThreePollutantsIncludingPm) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 24, 45.0);  // 75
  fill(s, Metric::no2, 0, 24, 40.0);   // 50
  const IndexResult two = s.compute(Standard::india_naqi, hour(0));
  EXPECT_FALSE(two.valid);
  EXPECT_NE(two.reason.find("insufficient data"), std::string::npos);
  fill(s, Metric::so2, 0, 24, 20.0);  // 25
  const IndexResult three = s.compute(Standard::india_naqi, hour(0));
  ASSERT_TRUE(three.valid) << three.reason;
  EXPECT_EQ(three.value, 75);
  EXPECT_EQ(three.dominant, Metric::pm25);
  EXPECT_EQ(three.category, "Satisfactory");

  StationAqi no_pm;
  fill(no_pm, Metric::no2, 0, 24, 40.0);
  fill(no_pm, Metric::so2, 0, 24, 20.0);
  fill(no_pm, Metric::o3, 0, 8, 60.0);
  EXPECT_FALSE(no_pm.compute(Standard::india_naqi, hour(0)).valid);
}

TEST(StationAqi, IndiaCompletenessRules) {
  StationAqi s;
  fill(s, Metric::pm10, 0, 15, 100.0);  // 15 of 24 hours: not enough
  fill(s, Metric::co, 0, 6, 1000.0);    // 6 of 8: enough
  fill(s, Metric::o3, 0, 6, 50.0);
  EXPECT_FALSE(s.compute(Standard::india_naqi, hour(0)).valid);
  s.set_hour(Metric::pm10, hour(-15), 100.0);  // 16 of 24
  const IndexResult r = s.compute(Standard::india_naqi, hour(0));
  ASSERT_TRUE(r.valid) << r.reason;
  EXPECT_EQ(r.value, 100);
  EXPECT_EQ(r.dominant, Metric::pm10);
}

TEST(StationAqi, IndiaUsesTwentyFourHourMean) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 20.0);
  fill(s, Metric::pm25, -12, 12, 70.0);  // mean of 24 h = 45 -> 75
  fill(s, Metric::no2, 0, 24, 10.0);
  fill(s, Metric::so2, 0, 24, 10.0);
  EXPECT_EQ(s.compute(Standard::india_naqi, hour(0)).value, 75);
}

TEST(StationAqi, HoursOutsideTheRingAreDropped) {
  StationAqi s;
  s.set_hour(Metric::pm25, hour(StationAqi::kRingHours), 10.0);  // same slot as hour 0, newer
  s.set_hour(Metric::pm25, hour(0), 50.0);                       // too old for the ring
  s.set_hour(Metric::pm25, hour(-1), 50.0);
  EXPECT_FALSE(s.compute(Standard::us_epa, hour(0)).valid);  // only hour -1 of the last three
}

TEST(StationAqi, EvictBeforeForgetsOldHours) {
  StationAqi s;
  fill(s, Metric::pm25, 0, 12, 20.0);
  ASSERT_TRUE(s.compute(Standard::us_epa, hour(0)).valid);
  s.evict_before(hour(0));  // keeps hour 0 only
  EXPECT_FALSE(s.compute(Standard::us_epa, hour(0)).valid);
  s.set_hour(Metric::pm25, hour(-1), 20.0);  // an evicted hour can be supplied again
  EXPECT_TRUE(s.compute(Standard::us_epa, hour(0)).valid);
}

TEST(StationAqi, FloorsTimestampsToTheHour) {
  StationAqi s;
  for (int h = -11; h <= 0; ++h)
    s.set_hour(Metric::pm25, hour(h) + std::chrono::minutes(30), 35.5);
  EXPECT_EQ(s.compute(Standard::us_epa, hour(0) + std::chrono::minutes(59)).value, 101);
}

TEST(StationAqi, IgnoresNonPollutantsAndNegativeValues) {
  StationAqi s;
  s.set_hour(Metric::temperature, hour(0), 20.0);
  fill(s, Metric::pm25, 0, 12, -3.0);
  EXPECT_FALSE(s.compute(Standard::us_epa, hour(0)).valid);
}

}  // namespace
}  // namespace envmon::transforms::aqi
