#include "core/time.h"

#include <gtest/gtest.h>

namespace envmon {
namespace {

TEST(TimeTest, FormatsUtcWithZ) {
  EXPECT_EQ(format_rfc3339(from_unix_ms(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(1'700'000'000'123)), "2023-11-14T22:13:20.123Z");
}

TEST(TimeTest, ParsesOffsetsIntoUtc) {
  auto t = parse_rfc3339("2023-11-15T03:43:20+05:30");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(format_rfc3339(*t), "2023-11-14T22:13:20Z");
  auto frac = parse_rfc3339("2023-11-14T22:13:20.5Z");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ(to_unix_ms(*frac), 1'700'000'000'500);
}

TEST(TimeTest, RejectsMalformedWithReason) {
  for (const char* bad : {"2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z", "2023-01-01 00:00:00",
                          "2023-01-01T00:00:00", "2023-01-01T25:00:00Z", "2023-01-01T00:00:00Zjunk",
                          "", "yesterday"}) {
    auto t = parse_rfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_NE(t.error().message().find("invalid RFC 3339"), std::string::npos);
    }
  }
}

TEST(TimeTest, RoundTripsCivilDays) {
  for (int64_t d = -800'000; d < 800'000; d += 997) {
    const CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(format_date(from_unix_ms(1'700'000'000'000)), "2023-11-14");
}

TEST(TimeTest, FloorsNegativeTimes) {
  EXPECT_EQ(to_unix_ms(floor_to(from_unix_ms(-1), Millis(1000))), -1000);
  EXPECT_EQ(to_unix_ms(floor_to(from_unix_ms(3'599'999), std::chrono::hours(1))), 0);
}

}  // namespace
}  // namespace envmon
