#include "transforms/enrich/enrich.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace envmon::transforms
