// Sub-index, NowCast and category tests; the bulk of the cases are golden files in testdata/.

#include "transforms/aqi/aqi.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "model/metric.h"

namespace envmon::transforms::aqi {
namespace {

using Row = std::vector<std::string>;

// Reads a golden CSV: '#' lines are comments, the first other line is the header (skipped).
std::vector<Row> read_csv(const std::string& name) {
  const std::string path = std::string(ENVMON_SOURCE_DIR) + "/src/transforms/aqi/testdata/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Row> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    Row row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ','))
      row.push_back(field);
    if (!line.empty() && line.back() == ',') row.emplace_back();  // getline drops a trailing empty
    rows.push_back(row);
  }
  return rows;
}

Metric metric_of(const std::string& id) {
  const auto m = parse_metric(id);
  EXPECT_TRUE(m.has_value()) << id;
  return m.value_or(Metric::temperature);
}

UsAveraging averaging_of(const std::string& name) {
  if (name == "hour_8") return UsAveraging::hour_8;
  if (name == "hour_1") return UsAveraging::hour_1;
  EXPECT_EQ(name, "nowcast_or_24h");
  return UsAveraging::nowcast_or_24h;
}

std::optional<double> expected_of(const std::string& field) {
  if (field.empty()) return std::nullopt;
  return std::stod(field);
}

TEST(UsSubIndex, GoldenFile) {
  const auto rows = read_csv("sub_index_us.csv");
  ASSERT_GT(rows.size(), 80u);
  for (const Row& r : rows) {
    ASSERT_GE(r.size(), 4u);
    SCOPED_TRACE(r[0] + " " + r[1] + " " + r[2] + (r.size() > 4 ? " (" + r[4] + ")" : ""));
    const auto got = us_sub_index(metric_of(r[0]), std::stod(r[1]), averaging_of(r[2]));
    EXPECT_EQ(got, expected_of(r[3]));
  }
}

TEST(IndiaSubIndex, GoldenFile) {
  const auto rows = read_csv("sub_index_india.csv");
  ASSERT_GT(rows.size(), 60u);
  for (const Row& r : rows) {
    ASSERT_GE(r.size(), 3u);
    SCOPED_TRACE(r[0] + " " + r[1]);
    EXPECT_EQ(india_sub_index(metric_of(r[0]), std::stod(r[1])), expected_of(r[2]));
  }
}

TEST(Nowcast, GoldenFile) {
  const auto rows = read_csv("nowcast.csv");
  ASSERT_GT(rows.size(), 10u);
  for (const Row& r : rows) {
    ASSERT_GE(r.size(), 3u);
    SCOPED_TRACE(r[0] + " expected " + r[1] + " h0 " + r[2]);
    std::vector<double> hours;
    for (size_t i = 2; i < r.size(); ++i) {
      hours.push_back(r[i].empty() ? std::nan("") : std::stod(r[i]));
    }
    const double got = nowcast(hours, metric_of(r[0]));
    if (r[1].empty()) {
      EXPECT_TRUE(std::isnan(got)) << got;
    } else {
      EXPECT_NEAR(got, std::stod(r[1]), 1e-6);
    }
  }
}

TEST(Nowcast, IgnoresHoursBeyondTwelve) {
  std::vector<double> hours(12, 10.0);
  hours.push_back(1000.0);  // 13 hours ago: outside the window
  EXPECT_DOUBLE_EQ(nowcast(hours, Metric::pm25), 10.0);
}

TEST(Nowcast, NowcastValueIsTruncatedBySubIndex) {
  // EPA: NowCast 17.41 -> truncated 17.4 -> AQI (49/26.3)*(17.4-9.1)+51 = 66.46 -> 66.
  const std::vector<double> hours{13, 16, 10, 21, 74, 64, 53, 82, 90, 75, 80, 50};
  EXPECT_EQ(us_sub_index(Metric::pm25, nowcast(hours, Metric::pm25), UsAveraging::nowcast_or_24h),
            66.0);
}

// ppb = µg/m³ × 24.45 / M: the same µg/m³ gives different ppb for different molar masses.
TEST(UsSubIndex, ConvertsWithMolarMasses) {
  // NO2 100 ppb = 188.18 µg/m³ (M 46.01) -> 100; 101 ppb -> 101.
  EXPECT_EQ(us_sub_index(Metric::no2, 100.5 * 46.01 / 24.45, UsAveraging::hour_1), 100.0);
  EXPECT_EQ(us_sub_index(Metric::no2, 101.5 * 46.01 / 24.45, UsAveraging::hour_1), 101.0);
  // 190 µg/m³ is 100.98 ppb of NO2 (-> 100) but 72.5 ppb of SO2 (M 64.07): (49/39)*(72-36)+51 = 96.
  EXPECT_EQ(us_sub_index(Metric::no2, 190.0, UsAveraging::hour_1), 100.0);
  EXPECT_EQ(us_sub_index(Metric::so2, 190.0, UsAveraging::hour_1), 96.0);
  // CO: 1 ppm = 1145.6 µg/m³. 9.4 ppm -> 100, 9.5 ppm -> 101.
  EXPECT_EQ(us_sub_index(Metric::co, 9.45 * 1145.6, UsAveraging::hour_8), 100.0);
  EXPECT_EQ(us_sub_index(Metric::co, 9.55 * 1145.6, UsAveraging::hour_8), 101.0);
  // O3: 1 ppb = 1.963 µg/m³; 0.070 ppm -> 100, 0.071 ppm -> 101.
  EXPECT_EQ(us_sub_index(Metric::o3, 70.5 * 1.9632, UsAveraging::hour_8), 100.0);
  EXPECT_EQ(us_sub_index(Metric::o3, 71.5 * 1.9632, UsAveraging::hour_8), 101.0);
}

TEST(UsSubIndex, RejectsBadInputAndNonPollutants) {
  EXPECT_FALSE(us_sub_index(Metric::pm25, std::nan(""), UsAveraging::nowcast_or_24h));
  EXPECT_FALSE(us_sub_index(Metric::pm25, std::numeric_limits<double>::infinity(),
                            UsAveraging::nowcast_or_24h));
  EXPECT_FALSE(us_sub_index(Metric::temperature, 10, UsAveraging::hour_1));
  EXPECT_FALSE(us_sub_index(Metric::aqi_us, 10, UsAveraging::hour_1));
}

TEST(IndiaSubIndex, CpcbWorkedExample) {
  EXPECT_EQ(india_sub_index(Metric::pm25, 31), 51.0);
  EXPECT_EQ(india_sub_index(Metric::pm25, 45), 75.0);
  EXPECT_EQ(india_sub_index(Metric::pm25, 60), 100.0);
}

TEST(Category, UsBoundaries) {
  EXPECT_EQ(us_category(0), "Good");
  EXPECT_EQ(us_category(50), "Good");
  EXPECT_EQ(us_category(51), "Moderate");
  EXPECT_EQ(us_category(100), "Moderate");
  EXPECT_EQ(us_category(101), "Unhealthy for Sensitive Groups");
  EXPECT_EQ(us_category(150), "Unhealthy for Sensitive Groups");
  EXPECT_EQ(us_category(151), "Unhealthy");
  EXPECT_EQ(us_category(200), "Unhealthy");
  EXPECT_EQ(us_category(201), "Very Unhealthy");
  EXPECT_EQ(us_category(300), "Very Unhealthy");
  EXPECT_EQ(us_category(301), "Hazardous");
  EXPECT_EQ(us_category(500), "Hazardous");
  EXPECT_EQ(us_category(650), "Hazardous");
  EXPECT_EQ(us_category(50.4), "Good");  // indices are integers: 50.4 reports as 50
  EXPECT_EQ(us_category(-1), "");
  EXPECT_EQ(us_category(std::nan("")), "");
}

TEST(Category, UsColours) {
  EXPECT_EQ(us_color_hex(50), "#00e400");
  EXPECT_EQ(us_color_hex(51), "#ffff00");
  EXPECT_EQ(us_color_hex(101), "#ff7e00");
  EXPECT_EQ(us_color_hex(151), "#ff0000");
  EXPECT_EQ(us_color_hex(201), "#8f3f97");
  EXPECT_EQ(us_color_hex(301), "#7e0023");
  EXPECT_EQ(us_color_hex(-5), "");
}

TEST(Category, IndiaBoundaries) {
  EXPECT_EQ(india_category(50), "Good");
  EXPECT_EQ(india_category(51), "Satisfactory");
  EXPECT_EQ(india_category(100), "Satisfactory");
  EXPECT_EQ(india_category(101), "Moderately polluted");
  EXPECT_EQ(india_category(200), "Moderately polluted");
  EXPECT_EQ(india_category(201), "Poor");
  EXPECT_EQ(india_category(300), "Poor");
  EXPECT_EQ(india_category(301), "Very poor");
  EXPECT_EQ(india_category(400), "Very poor");
  EXPECT_EQ(india_category(401), "Severe");
  EXPECT_EQ(india_category(500), "Severe");
  EXPECT_EQ(india_category(std::nan("")), "");
}

}  // namespace
}  // namespace envmon::transforms::aqi
