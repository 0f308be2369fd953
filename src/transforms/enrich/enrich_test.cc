#include "transforms/enrich/enrich.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace envmon::transforms {
namespace {

std::vector<config::StationConfig> stations() {
  return {{"london", "London", 51.5, -0.15, "Europe/London", "europe"},
          {"new-york", "New York", 40.7, -73.8, "America/New_York", "north-america"},
          {"delhi", "Delhi", 28.6, 77.3, "Asia/Kolkata", "south-asia"}};
}

Enrichment at(const Enricher& e, size_t i, const char* utc) {
  Enrichment out;
  e.enrich_at(i, *parse_rfc3339(utc), out);
  return out;
}

TEST(Enricher, LondonAcrossTheSpringDstChange) {
  Enricher e(stations());
  EXPECT_EQ(at(e, 0, "2026-03-29T00:59:59Z").local_time, "2026-03-29T00:59:59+00:00");
  const auto after = at(e, 0, "2026-03-29T01:00:00Z");
  EXPECT_EQ(after.local_time, "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(after.utc_offset_secs, 3600);
  EXPECT_EQ(after.region, "europe");
  EXPECT_EQ(after.timezone, "Europe/London");
  EXPECT_EQ(at(e, 0, "2026-10-25T01:00:00Z").utc_offset_secs, 0);  // autumn change back
}

TEST(Enricher, NewYorkAcrossDstAndMilliseconds) {
  Enricher e(stations());
  EXPECT_EQ(at(e, 1, "2026-03-08T06:59:00Z").local_time, "2026-03-08T01:59:00-05:00");
  EXPECT_EQ(at(e, 1, "2026-03-08T07:00:00.250Z").local_time, "2026-03-08T03:00:00.250-04:00");
  EXPECT_EQ(at(e, 1, "2026-11-01T06:00:00Z").utc_offset_secs, -18000);
}

TEST(Enricher, HalfHourZone) {
  Enricher e(stations());
  const auto d = at(e, 2, "2026-01-10T20:00:00Z");
  EXPECT_EQ(d.local_time, "2026-01-11T01:30:00+05:30");
  EXPECT_EQ(d.utc_offset_secs, 19800);
}

TEST(Enricher, ReplacesStationMetadataFromConfig) {
  Enricher e(stations());
  Reading r;
  r.station.id = StationId("delhi");
  r.observed_at = *parse_rfc3339("2026-01-10T00:00:00Z");
  e.enrich(2, r);
  EXPECT_EQ(r.station.name, "Delhi");
  ASSERT_TRUE(r.enrichment.has_value());
  EXPECT_EQ(r.enrichment->local_time, "2026-01-10T05:30:00+05:30");
}

TEST(Enricher, UnknownZoneIsAStartUpError) {
  EXPECT_THROW(Enricher({{"x", "X", 0, 0, "Mars/Olympus_Mons", "space"}}), std::invalid_argument);
}

// The cached path (offset span + date cache) must write exactly what a tz lookup per call writes.
void expect_matches_reference(const Enricher& e, size_t i, const absl::TimeZone& tz, int64_t ms) {
  Enrichment fast;
  e.enrich_at(i, from_unix_ms(ms), fast);
  std::string slow;
  int32_t offset = 0;
  format_local_time(from_unix_ms(ms), tz, slow, offset);
  ASSERT_EQ(fast.local_time, slow) << "unix ms " << ms;
  ASSERT_EQ(fast.utc_offset_secs, offset) << "unix ms " << ms;
}

std::vector<config::StationConfig> dst_zones() {
  return {{"london", "", 0, 0, "Europe/London", ""},
          {"new-york", "", 0, 0, "America/New_York", ""},
          {"lord-howe", "", 0, 0, "Australia/Lord_Howe", ""},  // 30-minute DST shift
          {"kathmandu", "", 0, 0, "Asia/Kathmandu", ""},       // +05:45, no DST
          {"utc", "", 0, 0, "UTC", ""}};                         // no transitions at all
}

TEST(Enricher, CachedLocalTimeMatchesTheTzLookupAcrossDstChangesInOrder) {
  const auto zones = dst_zones();
  Enricher e(zones);
  // Around each 2026 change of London and New York, stepping 7 min 13.25 s (odd milliseconds).
  for (const char* change : {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-03-08T07:00:00Z",
                             "2026-11-01T06:00:00Z", "2026-04-04T15:00:00Z"}) {
    const int64_t c = to_unix_ms(*parse_rfc3339(change));
    for (size_t i = 0; i < zones.size(); ++i) {
      absl::TimeZone tz;
      ASSERT_TRUE(absl::LoadTimeZone(zones[i].timezone, &tz));
      for (int64_t ms = c - 86'400'000; ms < c + 86'400'000; ms += 433'250)
        expect_matches_reference(e, i, tz, ms);
      // Exactly at the change and one millisecond either side.
      for (int64_t ms : {c - 1, c, c + 1}) expect_matches_reference(e, i, tz, ms);
    }
  }
}

TEST(Enricher, CachedLocalTimeMatchesTheTzLookupOutOfOrder) {
  const auto zones = dst_zones();
  Enricher e(zones);
  std::mt19937_64 rng(42);
  // 1960 .. 2100: before the epoch, across many changes, and past the zones' last listed rules.
  std::uniform_int_distribution<int64_t> any_ms(-315'619'200'000, 4'102'444'800'000);
  std::uniform_int_distribution<int64_t> near_ms(-3 * 86'400'000, 3 * 86'400'000);
  for (size_t i = 0; i < zones.size(); ++i) {
    absl::TimeZone tz;
    ASSERT_TRUE(absl::LoadTimeZone(zones[i].timezone, &tz));
    int64_t ms = to_unix_ms(*parse_rfc3339("2026-10-25T01:00:00Z"));
    for (int k = 0; k < 2000; ++k) {
      // Mostly late and early points near the last one, sometimes a jump anywhere.
      ms = k % 50 == 0 ? any_ms(rng) : ms + near_ms(rng);
      expect_matches_reference(e, i, tz, ms);
    }
  }
}

}  // namespace
}  // namespace envmon::transforms
