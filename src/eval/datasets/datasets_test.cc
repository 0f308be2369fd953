#include "eval/datasets/datasets.h"

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

namespace envmon::eval {
namespace {

using features::Raw;

std::string fixture(const std::string& name) {
  return std::string(ENVMON_SOURCE_DIR) + "/src/eval/datasets/testdata/" + name;
}

Dataset read_ok(const std::string& name) {
  auto d = read_dataset(fixture(name));
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().to_string());
  return d.ok() ? *d : Dataset{};
}

TEST(Datasets, BeijingMultiSite) {
  const Dataset d = read_ok("beijing_multisite.csv");
  EXPECT_EQ(d.layout, Layout::beijing_multisite);
  ASSERT_EQ(d.frame.size(), 3u);
  EXPECT_EQ(d.frame.start_unix, 1362096000 - 8 * 3600);  // 2013-03-01 00:00 Beijing time
  EXPECT_EQ(d.frame.utc_offset_secs, 8 * 3600);
  EXPECT_EQ(d.frame.col(Raw::pm25)[0], 4);
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::pm25)[1]));
  EXPECT_EQ(d.frame.col(Raw::wind_dir_deg)[0], 337.5);
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::wind_dir_deg)[2]));
  EXPECT_EQ(d.frame.col(Raw::dew_point)[1], -18.2);
}

TEST(Datasets, FiveCitiesSentinelsAreMissing) {
  const Dataset d = read_ok("five_cities.csv");
  EXPECT_EQ(d.layout, Layout::five_cities);
  EXPECT_EQ(d.frame.col(Raw::pm25)[1], 60);  // PM_US Post
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::dew_point)[1]));     // -9999
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::precipitation)[2])); // 999990
  EXPECT_EQ(d.frame.col(Raw::humidity)[2], 83);
}

TEST(Datasets, UsEmbassyCumulatedWind) {
  const Dataset d = read_ok("us_embassy.csv");
  EXPECT_EQ(d.layout, Layout::us_embassy);
  ASSERT_EQ(d.frame.size(), 4u);
  EXPECT_NEAR(d.frame.col(Raw::wind_speed)[0], 1.79, 1e-12);
  EXPECT_NEAR(d.frame.col(Raw::wind_speed)[1], 0.89, 1e-12);  // 2.68 - 1.79, same direction
  EXPECT_NEAR(d.frame.col(Raw::wind_speed)[3], 1.79, 1e-12);  // direction changed: restarts
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::pm25)[2]));
}

TEST(Datasets, UciAirQualityMinus200IsMissing) {
  const Dataset d = read_ok("uci_air_quality.csv");
  EXPECT_EQ(d.layout, Layout::uci_air_quality);
  EXPECT_NEAR(d.frame.col(Raw::temperature)[0], 13.6, 1e-6);
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::temperature)[1]));
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::pm25)[0]));  // no PM2.5 in this layout
}

TEST(Datasets, NoaaIsdAveragesTheHourAndKeepsGaps) {
  const Dataset d = read_ok("noaa_isd.csv");
  EXPECT_EQ(d.layout, Layout::noaa_isd);
  ASSERT_EQ(d.frame.size(), 4u);  // 18:00 .. 21:00 UTC
  EXPECT_NEAR(d.frame.col(Raw::temperature)[0], 12.2, 1e-12);  // 11.7 and 12.7
  EXPECT_TRUE(std::isnan(d.frame.col(Raw::temperature)[1]));   // no observation at 19:00
  // Travel towards the east (0 rad) is wind from the west (270°); towards north -> from south.
  EXPECT_NEAR(d.frame.col(Raw::wind_dir_deg)[0], 270, 1e-9);
  EXPECT_NEAR(d.frame.col(Raw::wind_dir_deg)[3], 180, 1e-9);
  EXPECT_NEAR(d.frame.col(Raw::pressure)[3], 1013.25, 1e-9);
}

TEST(Datasets, ProphetLayoutResamplesToHours) {
  const Dataset d = read_ok("prophet.csv");
  ASSERT_EQ(d.frame.size(), 2u);
  EXPECT_NEAR(d.frame.col(Raw::temperature)[0], 27.4, 1e-12);  // NaN row skipped
  EXPECT_EQ(d.frame.col(Raw::temperature)[1], 20);
}

TEST(Datasets, MalformedFilesNameFileLineAndColumn) {
  auto count = read_dataset(fixture("bad_field_count.csv"));
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.error().message().find("bad_field_count.csv:3: 12 fields, the header has 13"),
            std::string::npos)
      << count.error().message();
  auto number = read_dataset(fixture("bad_number.csv"));
  ASSERT_FALSE(number.ok());
  EXPECT_NE(number.error().message().find("bad_number.csv:3: column 'TEMP': 'warm' is not a number"),
            std::string::npos)
      << number.error().message();
  auto order = read_dataset(fixture("bad_time_order.csv"));
  ASSERT_FALSE(order.ok());
  EXPECT_NE(order.error().message().find("bad_time_order.csv:3: time goes backwards"),
            std::string::npos)
      << order.error().message();
  auto header = read_dataset(fixture("bad_header.csv"));
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.error().message().find("unknown CSV layout"), std::string::npos);
  EXPECT_FALSE(read_dataset(fixture("no_such_file.csv")).ok());
  EXPECT_FALSE(parse_dataset("", "empty.csv").ok());
  EXPECT_FALSE(parse_dataset("ds,y\n", "header_only.csv").ok());
}

TEST(Datasets, QuotedFieldsAndCrlf) {
  EXPECT_EQ(split_csv_line("a,\"b,c\",\"d\"\"e\"\r"),
            (std::vector<std::string>{"a", "b,c", "d\"e"}));
}

TEST(Datasets, EveryRealFileReads) {
  const std::filesystem::path root =
      std::filesystem::path(ENVMON_SOURCE_DIR) / ".." / "shared" / "data" / "timeseries";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " is absent";
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".csv" || e.path().filename() == "stations.csv") continue;
    auto d = read_dataset(e.path().string());
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    EXPECT_GT(d->frame.present(Raw::temperature), 1000u) << e.path();
    ++files;
  }
  EXPECT_GE(files, 12);
}

}  // namespace
}  // namespace envmon::eval
