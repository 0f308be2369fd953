#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace envmon {
namespace {

TEST(TimeTest, FormatsUtcWithZ) {
  EXPECT_EQ(format_rfc3339(from_unix_ms(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(1'700'000'000'123)), "2023-11-14T22:13:20.123Z");
}

// The formatter caches the last day's text: alternating days and times far apart must still
// print what the calendar arithmetic says.
TEST(TimeTest, FormatsLikeTheCalendarForAnyTime) {
  std::mt19937_64 rng(3);
  // Years 5 to 9999.
  std::uniform_int_distribution<int64_t> ms(-62'000'000'000'000, 253'402'300'799'999);
  for (int i = 0; i < 100'000; ++i) {
    const int64_t t = i % 3 == 0 ? ms(rng) : 1'767'225'600'000 + (i % 7) * 86'400'000 + i * 1001;
    const int64_t days = (t >= 0 ? t : t - 86'399'999) / 86'400'000;
    const int64_t rem = t - days * 86'400'000;
    const CivilDate c = civil_from_days(days);
    char expected[64];
    const auto secs = static_cast<int>(rem / 1000);
    int n = std::snprintf(expected, sizeof(expected), "%04d-%02u-%02uT%02d:%02d:%02d", c.year,
                          c.month, c.day, secs / 3600, secs / 60 % 60, secs % 60);
    if (rem % 1000 != 0) {
      n += std::snprintf(expected + n, sizeof(expected) - n, ".%03d", static_cast<int>(rem % 1000));
    }
    std::snprintf(expected + n, sizeof(expected) - n, "Z");
    ASSERT_EQ(format_rfc3339(from_unix_ms(t)), expected) << t;
    auto back = parse_rfc3339(format_rfc3339(from_unix_ms(t)));
    ASSERT_TRUE(back.ok()) << back.error().message();
    ASSERT_EQ(to_unix_ms(*back), t);
  }
  EXPECT_EQ(format_rfc3339(from_unix_ms(253'402'300'800'000)), "10000-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(from_unix_ms(-62'198'755'200'000)), "-1-01-01T00:00:00Z");
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

// The parser remembers the last valid day: the rest of the text is still checked in full.
TEST(TimeTest, RejectsMalformedTimesOfAnAlreadySeenDay) {
  ASSERT_TRUE(parse_rfc3339("2023-02-28T00:00:00Z").ok());
  for (const char* bad : {"2023-02-28T24:00:00Z", "2023-02-28X00:00:00Z", "2023-02-28T00:00Z",
                          "2023-02-28T00:00:00", "2023-02-28T00:00:00+5:30",
                          "2023-02-28T00:00:00Zz"}) {
    auto t = parse_rfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
  }
  auto t = parse_rfc3339("2023-02-28T23:59:59.5-01:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(format_rfc3339(*t), "2023-03-01T00:59:59.500Z");
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
