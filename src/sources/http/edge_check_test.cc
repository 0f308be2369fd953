#include "sources/http/edge_check.h"

#include <cmath>

#include <gtest/gtest.h>

#include "model/codec.h"

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

Measurement humidity(double value) {
  return Measurement{Metric::humidity, value, std::nan(""), "%", 0};
}

TEST(EdgeCheck, NullValuesAreDroppedAndTheRestKept) {
  Reading r = reading("degC", std::nan(""));
  r.measurements.push_back(humidity(40));
  const EdgeResult res = check_reading(r, kStations, kNow, Seconds(10800));
  EXPECT_EQ(res.verdict, EdgeVerdict::accept);
  EXPECT_EQ(res.nulls_dropped, 1U);
  ASSERT_EQ(r.measurements.size(), 1U);
  EXPECT_EQ(r.measurements[0].metric, Metric::humidity);
  Reading all_null = reading("degC", std::nan(""));
  const EdgeResult empty = check_reading(all_null, kStations, kNow, Seconds(10800));
  EXPECT_EQ(empty.verdict, EdgeVerdict::empty);
  EXPECT_EQ(empty.nulls_dropped, 1U);
}

TEST(EdgeCheck, RejectsWhatTheDecoderDownstreamWouldRefuse) {
  Reading inf_raw = reading();
  inf_raw.measurements[0].raw = -INFINITY;
  EXPECT_EQ(check_reading(inf_raw, kStations, kNow, Seconds(10800)).reject.error_code,
            "validate_bounds");
  Reading none = reading();
  none.measurements.clear();
  EXPECT_EQ(check_reading(none, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::reject);
  Reading no_source = reading();
  no_source.source = SourceId("");
  EXPECT_EQ(check_reading(no_source, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::reject);
  Reading bad_text = reading();
  bad_text.station.provider_id = "@\xFF\xFE";
  const EdgeResult res = check_reading(bad_text, kStations, kNow, Seconds(10800));
  EXPECT_EQ(res.verdict, EdgeVerdict::reject);
  EXPECT_NE(res.reject.reason.find("station.provider_id"), std::string::npos);
}

TEST(EdgeCheck, IngestedAtIsTheEnginesClockSoTheFutureTestHolds) {
  Reading r = reading();
  r.observed_at = kNow + Seconds(3600);
  r.ingested_at = r.observed_at;  // a provider bug must not hide a clock in the future
  EXPECT_EQ(check_reading(r, kStations, kNow, Seconds(10800)).reject.error_code, "validate_time");
  Reading ok = reading();
  ok.ingested_at = Timestamp{};
  ASSERT_EQ(check_reading(ok, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::accept);
  EXPECT_EQ(ok.ingested_at, kNow);
}

// Why check_reading needs no codec round trip: whatever it accepts, the processor decodes to
// the same reading.
TEST(EdgeCheck, AcceptedReadingsSurviveTheCodec) {
  std::vector<Reading> cases;
  cases.push_back(reading("K", 294.65));
  cases.push_back(reading("", -0.0));
  Reading odd = reading("fahrenheit", 1e300);
  odd.station.name = "D\u00e9lhi \"quoted\"\n\t\x01";
  odd.station.provider_id = "@-372382";
  odd.measurements[0].raw = 12.5;
  odd.measurements[0].flags = static_cast<FlagSet>(Flag::converted);
  odd.measurements.push_back(humidity(std::nan("")));
  odd.measurements.push_back(humidity(1e-300));
  cases.push_back(odd);
  for (auto& r : cases) {
    ASSERT_EQ(check_reading(r, kStations, kNow, Seconds(10800)).verdict, EdgeVerdict::accept);
    auto back = decode_reading(encode_reading(r));
    ASSERT_TRUE(back.ok()) << back.error().message();
    EXPECT_EQ(encode_reading(*back), encode_reading(r));
    EXPECT_EQ(back->station.name, r.station.name);
    EXPECT_EQ(back->measurements.size(), r.measurements.size());
  }
}

}  // namespace
}  // namespace envmon::sources::http
