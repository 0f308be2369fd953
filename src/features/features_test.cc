#include "features/features.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "features/weather.h"

namespace envmon::features {
namespace {

// Three weeks of hourly data with gaps of every length, a calm hour and missing humidity.
RawFrame synthetic_frame() {
  RawFrame f;
  f.start_unix = 1704067200;  // 2024-01-01T00:00Z
  f.utc_offset_secs = 8 * 3600;
  const size_t n = 21 * 24;
  f.resize(n);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 3);
  for (size_t i = 0; i < n; ++i) {
    const double h = static_cast<double>(i % 24);
    f.col(Raw::pm25)[i] = 40 + 20 * std::sin(h / 24 * 6.28) + noise(rng);
    f.col(Raw::temperature)[i] = 10 + 5 * std::cos(h / 24 * 6.28);
    f.col(Raw::humidity)[i] = 60 + noise(rng);
    f.col(Raw::pressure)[i] = 1013;
    f.col(Raw::wind_speed)[i] = 2 + noise(rng) / 3;
    f.col(Raw::wind_dir_deg)[i] = static_cast<double>((i * 22) % 360);
    f.col(Raw::precipitation)[i] = 0;
  }
  for (size_t i : {5, 30, 31, 60, 61, 62, 63, 64, 65, 200}) f.col(Raw::pm25)[i] = kNaN;
  for (size_t i = 100; i < 110; ++i) f.col(Raw::humidity)[i] = kNaN;
  f.col(Raw::wind_dir_deg)[40] = kNaN;
  f.col(Raw::wind_speed)[40] = 0.2;
  return f;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST(Features, OfflineAndOnlineGiveTheSameValues) {
  const RawFrame frame = synthetic_frame();
  const FeatureSpec spec;
  const FeatureMatrix offline = compute_features(frame, spec);
  OnlineFeatures online(spec, frame.utc_offset_secs);
  ASSERT_EQ(online.names(), offline.names);
  for (size_t i = 0; i < frame.size(); ++i) {
    const std::vector<double> row = online.push(frame.time_at(i), frame.row(i));
    ASSERT_EQ(row.size(), offline.names.size());
    for (size_t c = 0; c < row.size(); ++c) {
      ASSERT_TRUE(same(row[c], offline.at(i, c)))
          << "row " << i << " feature " << offline.names[c] << ": online " << row[c]
          << " offline " << offline.at(i, c);
    }
  }
}

TEST(Features, OnlineFillsSkippedHoursLikeTheGrid) {
  RawFrame frame = synthetic_frame();
  const FeatureSpec spec;
  const FeatureMatrix offline = compute_features(frame, spec);
  OnlineFeatures online(spec, frame.utc_offset_secs);
  std::vector<double> last;
  for (size_t i = 0; i < 300; ++i) {
    if (i >= 60 && i <= 65) continue;  // the stream never saw these hours at all
    last = online.push(frame.time_at(i), frame.row(i));
    for (size_t c = 0; c < last.size(); ++c) ASSERT_TRUE(same(last[c], offline.at(i, c))) << i;
  }
}

TEST(Features, ShortGapsAreFilledLongOnesStayMissing) {
  const FeatureMatrix m = compute_features(synthetic_frame(), FeatureSpec{});
  const size_t value = m.column("value");
  EXPECT_EQ(m.at(5, value), m.at(4, value));    // one missing hour: last value
  EXPECT_EQ(m.at(62, value), m.at(59, value));  // third missing hour: still filled
  EXPECT_TRUE(std::isnan(m.at(63, value)));     // fourth: missing
  EXPECT_TRUE(std::isnan(m.at(0, m.column("lag_1"))));
  EXPECT_EQ(m.at(30, m.column("lag_24")), m.at(6, value));
}

TEST(Features, CalendarIsLocalTime) {
  // 2024-01-01T20:00Z is 04:00 on Tuesday 2 January in Beijing (UTC+8).
  const LocalCalendar c = local_calendar(1704067200 + 20 * 3600, 8 * 3600);
  EXPECT_EQ(c.hour, 4);
  EXPECT_EQ(c.weekday, 1);
  EXPECT_EQ(c.month, 1);
  EXPECT_EQ(c.day_of_year, 1);
}

TEST(Features, RollingStatisticsOnKnownValues) {
  RawFrame f;
  f.resize(4);
  f.col(Raw::pm25) = {1, 2, kNaN, 6};
  FeatureSpec spec;
  spec.windows = {3};
  spec.max_fill_hours = 0;
  const FeatureMatrix m = compute_features(f, spec);
  EXPECT_DOUBLE_EQ(m.at(3, m.column("roll_mean_3")), 4.0);  // (2 + 6) / 2, the gap skipped
  EXPECT_DOUBLE_EQ(m.at(3, m.column("roll_std_3")), 2.0);
  EXPECT_DOUBLE_EQ(m.at(3, m.column("roll_min_3")), 2.0);
  EXPECT_DOUBLE_EQ(m.at(3, m.column("roll_max_3")), 6.0);
}

TEST(Weather, DerivedQuantities) {
  EXPECT_NEAR(dew_point_c(20, 50), 9.26, 0.02);
  EXPECT_NEAR(relative_humidity(20, dew_point_c(20, 50)), 50, 1e-9);
  EXPECT_NEAR(heat_index_c(32.2222, 70), (105.9 - 32) * 5 / 9, 0.3);  // NWS table: 90 °F, 70%
  EXPECT_NEAR(heat_index_c(10, 50), 8.6, 0.3);  // cold: the simple formula
  const WindComponents north = wind_components(2, 0);  // from the north: blows south
  EXPECT_NEAR(north.u, 0, 1e-12);
  EXPECT_NEAR(north.v, -2, 1e-12);
  const WindComponents calm = wind_components(0.1, kNaN);
  EXPECT_EQ(calm.u, 0);
  EXPECT_TRUE(std::isnan(wind_components(3, kNaN).u));
  EXPECT_EQ(compass_to_degrees("ENE"), 67.5);
  EXPECT_FALSE(compass_to_degrees("cv").has_value());
  EXPECT_TRUE(std::isnan(dew_point_c(kNaN, 40)));
}

TEST(Features, AqiOfTheDailyMean) {
  RawFrame f;
  f.resize(30);
  for (auto& x : f.col(Raw::pm25)) x = 35.4;  // top of "Moderate" in the 2024 table: AQI 100
  const FeatureMatrix m = compute_features(f, FeatureSpec{});
  EXPECT_TRUE(std::isnan(m.at(10, m.column("aqi_pm25"))));  // fewer than 18 hours
  EXPECT_DOUBLE_EQ(m.at(29, m.column("aqi_pm25")), 100);
}

}  // namespace
}  // namespace envmon::features
