#include "sources/http/edge_check.h"

#include <cmath>

#include <gtest/gtest.h>

namespace envmon::sources::http {
namespace {

const Timestamp kNow = from_unix_ms(1'780'000'000'000);
const std::set<std::string> kStations{"delhi"};

Reading reading(std::string unit = "degC", double value = 21.5) {
  Reading r;
  r.source = SourceId("owm");
  r.station = StationRef{StationId("delhi"), "Delhi", 28.6, 77.2};
  r.observed_at = kNow - Seconds(600);
  r.ingested_at = kNow;
  r.measurements.push_back(
      Measurement{Metric::temperature, value, std::nan(""), std::move(unit), 0});
  return r;
}

TEST(EdgeCheck, AcceptsAGoodReading) {
  Reading r = reading();
  EXPECT_EQ(check_reading(r, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::accept);
  EXPECT_EQ(r.station.id.get(), "delhi");
}

TEST(EdgeCheck, RejectsWithTheFieldNamed) {
  Reading unknown = reading();
  unknown.station.id = StationId("paris");
  EXPECT_EQ(check_reading(unknown, kStations, kNow, Seconds(10800)).reject.error_code,
            "validate_station");
  Reading future = reading();
  future.observed_at = kNow + Seconds(301);
  EXPECT_EQ(check_reading(future, kStations, kNow, Seconds(10800)).reject.error_code,
            "validate_time");
  Reading unset = reading();
  unset.observed_at = Timestamp{};
  EXPECT_EQ(check_reading(unset, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::reject);
  Reading inf = reading("degC", INFINITY);
  const EdgeResult r = check_reading(inf, kStations, kNow, Seconds(10800));
  EXPECT_EQ(r.verdict, EdgeVerdict::reject);
  EXPECT_NE(r.reject.reason.find("measurements.temperature"), std::string::npos);
  Reading unit = reading("parsecs");
  EXPECT_EQ(check_reading(unit, kStations, kNow, Seconds(10800)).reject.error_code, "decode_unit");
}

TEST(EdgeCheck, OldObservationsAreStaleNotRejected) {
  Reading old = reading();
  old.observed_at = kNow - Seconds(10801);
  EXPECT_EQ(check_reading(old, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::stale);
}

}  // namespace
}  // namespace envmon::sources::http
