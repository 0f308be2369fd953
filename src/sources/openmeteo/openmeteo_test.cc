#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "model/units.h"
#include "sources/http/provider_test_support.h"
#include "sources/openmeteo/openmeteo_parse.h"

namespace envmon::sources::openmeteo {
namespace {

namespace fs = std::filesystem;
using http::Outcome;
using http::testing::find;
using http::testing::has_reject;
using http::testing::rejects_text;

const std::string kShared = http::testing::kSharedSamples + "open-meteo";
const std::string kOwn = ENVMON_SOURCE_DIR "/src/sources/openmeteo/testdata";

std::string read_file(const std::string& path) {
  return http::testing::read_fixture(path);
}

Timestamp at(std::string_view rfc3339) {
  return http::testing::rfc3339_at(rfc3339);
}

const Timestamp kNow = at("2025-01-01T00:00:00Z");

config::StationConfig station() {
  return http::testing::make_station("st1", "Station One", 52.52, 13.41);
}

net::HttpResponse response(int status, std::string body,
                           std::string content_type = "application/json; charset=utf-8") {
  return http::testing::make_response(status, std::move(body), std::move(content_type));
}

http::ParseResult parse_body(int status, const std::string& body, bool skip_future = true) {
  return parse_openmeteo_response(station(), response(status, body),
                                  ParseOptions{kNow, skip_future});
}

http::ParseResult parse_own(const std::string& name, int status = 200) {
  return parse_body(status, read_file(kOwn + "/" + name));
}

// The measurement, or a failed expectation and a NaN placeholder.
Measurement get(const Reading& r, Metric m) {
  const auto meas = find(r, m);
  if (!meas) ADD_FAILURE() << "no " << metric_id(m) << " in the reading";
  return meas.value_or(Measurement{Metric::temperature, std::nan(""), std::nan(""), "missing", 0});
}

double canonical(const Reading& r, Metric m) {
  const auto meas = find(r, m);
  if (!meas) return std::nan("");
  return to_canonical(m, meas->unit, meas->value).value();
}

// Recorded samples live outside the repository; tests over them skip when it is absent.
class OpenMeteoSamples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kShared)) GTEST_SKIP() << "shared samples not found at " << kShared;
  }
  http::ParseResult parse_sample(const std::string& name, int status = 200) {
    return parse_body(status, read_file(kShared + "/" + name));
  }
};

// ---- units, variables, times -------------------------------------------------------------

TEST(OpenMeteoParse, UnitStringsAreExactUtf8) {
  EXPECT_EQ(ascii_unit("\u00b0C"), "degC");
  EXPECT_EQ(ascii_unit("\u00b0F"), "degF");
  EXPECT_EQ(ascii_unit("mp/h"), "mph");
  EXPECT_EQ(ascii_unit("inch"), "in");
  EXPECT_EQ(ascii_unit("\u03bcg/m\u00b3"), "ug/m3");  // Greek mu, what the API sends
  EXPECT_EQ(ascii_unit("\u00b5g/m\u00b3"), "ug/m3");  // micro sign
  EXPECT_FALSE(ascii_unit("ug/m\u00b3").has_value());
  EXPECT_FALSE(ascii_unit("C").has_value());
}

TEST(OpenMeteoParse, VariablesMapToMetricsInEverySpelling) {
  EXPECT_EQ(metric_for_variable("temperature_2m"), Metric::temperature);
  EXPECT_EQ(metric_for_variable("windspeed_10m"), Metric::wind_speed);
  EXPECT_EQ(metric_for_variable("windspeed"), Metric::wind_speed);
  EXPECT_EQ(metric_for_variable("pm2_5"), Metric::pm25);
  EXPECT_EQ(metric_for_variable("us_aqi_carbon_monoxide"), Metric::aqi_us_co);
  EXPECT_FALSE(metric_for_variable("temperature_2m_max").has_value());
  EXPECT_FALSE(metric_for_variable("weather_code").has_value());
}

TEST(OpenMeteoParse, LocalTimeMinusOffsetIsUtc) {
  EXPECT_EQ(parse_local_time("2023-10-25T00:00", -10800).value(), at("2023-10-25T03:00:00Z"));
  EXPECT_EQ(parse_local_time("2023-10-25T20:45", 34200).value(), at("2023-10-25T11:15:00Z"));
  EXPECT_EQ(parse_local_time("2023-10-25T20:45:30", 0).value(), at("2023-10-25T20:45:30Z"));
  EXPECT_EQ(parse_local_time("2023-10-25T20:45+02:00", 34200).value(), at("2023-10-25T18:45:00Z"));
  EXPECT_FALSE(parse_local_time("2023-10-25", 0).ok());
  EXPECT_FALSE(parse_local_time("2023-13-25T00:00", 0).ok());
  EXPECT_FALSE(parse_local_time("", 0).ok());
}

// ---- own fixtures --------------------------------------------------------------------------

TEST(OpenMeteoParse, CurrentBlockWithNullCountsMissing) {
  const auto r = parse_own("forecast_current_gmt.json");
  ASSERT_EQ(r.outcome, Outcome::ok);
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& rd = r.readings[0];
  EXPECT_EQ(rd.observed_at, at("2024-03-01T10:15:00Z"));
  EXPECT_EQ(rd.ingested_at, kNow);
  EXPECT_EQ(rd.station.id.get(), "st1");
  EXPECT_EQ(rd.station.provider_id, "48.86,2.3399997");
  EXPECT_EQ(rd.measurements.size(), 6u);
  EXPECT_EQ(r.missing_values, 1u);  // pressure_msl: null
  EXPECT_FALSE(find(rd, Metric::pressure).has_value());
  EXPECT_DOUBLE_EQ(get(rd, Metric::wind_speed).value, 3.61);
  EXPECT_TRUE(get(rd, Metric::wind_speed).unit.empty());
  EXPECT_DOUBLE_EQ(get(rd, Metric::wind_direction).value, 225);
}

TEST(OpenMeteoParse, LegacyImperialUnitsConvert) {
  const auto r = parse_own("forecast_current_legacy_imperial.json");
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& rd = r.readings[0];
  EXPECT_EQ(rd.observed_at, at("2023-10-25T11:15:00Z"));
  EXPECT_EQ(get(rd, Metric::temperature).unit, "degF");
  EXPECT_NEAR(canonical(rd, Metric::temperature), 30.0, 1e-9);
  EXPECT_EQ(get(rd, Metric::wind_speed).unit, "mph");
  EXPECT_NEAR(canonical(rd, Metric::wind_speed), 4.4704, 1e-9);
}

TEST(OpenMeteoParse, HourlyNegativeOffsetAndNulls) {
  const auto r = parse_own("hourly_negative_offset_nulls.json");
  ASSERT_EQ(r.outcome, Outcome::ok);
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 3u);
  EXPECT_EQ(r.readings[0].observed_at, at("2023-10-26T01:00:00Z"));
  EXPECT_EQ(r.readings[2].observed_at, at("2023-10-26T03:00:00Z"));
  EXPECT_EQ(r.readings[1].measurements.size(), 1u);  // temperature null, humidity 42
  EXPECT_FALSE(find(r.readings[1], Metric::temperature).has_value());
  EXPECT_EQ(r.missing_values, 2u + 3u);  // two scattered nulls + all-null cloud_cover
}

TEST(OpenMeteoParse, FutureHourlyStepsAreSkippedForLivePolling) {
  const std::string body = read_file(kOwn + "/hourly_negative_offset_nulls.json");
  const auto r = parse_openmeteo_response(station(), response(200, body),
                                          ParseOptions{at("2023-10-26T02:00:00Z"), true});
  ASSERT_EQ(r.readings.size(), 2u);
  EXPECT_NE(r.message.find("skipped"), std::string::npos);
}

TEST(OpenMeteoParse, MultiLocationArrayReadsEveryElement) {
  const auto r = parse_own("multi_location.json");
  ASSERT_EQ(r.readings.size(), 2u);
  EXPECT_EQ(r.readings[0].station.provider_id, "52.5,13.4");
  EXPECT_EQ(r.readings[1].station.provider_id, "48.1,11.6");
  EXPECT_EQ(get(r.readings[0], Metric::wind_speed).unit, "kn");
  EXPECT_EQ(r.missing_values, 1u);
}

TEST(OpenMeteoParse, MicroSignAndGreekMuAreBothMicrograms) {
  const auto r = parse_own("air_quality_current_micro_sign.json");
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& rd = r.readings[0];
  EXPECT_EQ(rd.observed_at, at("2024-11-10T13:00:00Z"));
  EXPECT_DOUBLE_EQ(get(rd, Metric::pm10).value, 412.5);
  EXPECT_DOUBLE_EQ(get(rd, Metric::co).value, 2450.0);
  EXPECT_TRUE(get(rd, Metric::co).unit.empty());
  EXPECT_DOUBLE_EQ(get(rd, Metric::aqi_us).value, 338);
  EXPECT_EQ(rd.measurements.size(), 4u);  // uv_index is not a catalogue metric
}

TEST(OpenMeteoParse, UnixtimeIsUtcRegardlessOfOffset) {
  const auto r = parse_own("forecast_current_unixtime.json");
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].observed_at, from_unix_ms(1700000000000));
  EXPECT_EQ(get(r.readings[0], Metric::precipitation).unit, "in");
}

TEST(OpenMeteoParse, BadEntriesBecomeRejectsNamingTheField) {
  const auto r = parse_own("bad_entries.json");
  EXPECT_EQ(r.outcome, Outcome::ok);
  const std::string text = rejects_text(r);
  EXPECT_NE(text.find("hourly.time[1]"), std::string::npos) << text;
  EXPECT_NE(text.find("hourly.temperature_2m: unit 'K' does not fit"), std::string::npos) << text;
  EXPECT_NE(text.find("hourly.relative_humidity_2m[2]: expected a number"), std::string::npos)
      << text;
  EXPECT_NE(text.find("hourly.pressure_msl: expected an array as long"), std::string::npos) << text;
  EXPECT_EQ(r.rejects.size(), 4u) << text;  // one per bad unit, not one per step
  ASSERT_EQ(r.readings.size(), 1u);         // 00:00 with humidity only
  EXPECT_EQ(r.readings[0].measurements.size(), 1u);
}

TEST(OpenMeteoParse, GarbageNeverCrashes) {
  for (const std::string body : {"", "{", "null", "42", "[1,2]", "{\"current\":5}",
                                 "{\"current\":{\"time\":5.5e300,\"temperature_2m\":1}}",
                                 "{\"hourly\":{\"time\":[],\"temperature_2m\":[]}}",
                                 "{\"hourly\":{\"time\":\"x\"}}", "{\"error\":true}",
                                 "{\"current\":{\"time\":\"2024-01-01T00:00\",\"temperature_2m\":"
                                 "[1]},\"current_units\":{\"temperature_2m\":\"°C\"}}"}) {
    const auto r = parse_body(200, body);
    EXPECT_TRUE(r.readings.empty()) << body;
  }
  EXPECT_EQ(parse_body(200, "").outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_body(200, "[1,2]").rejects.size(), 2u);
}

TEST(OpenMeteoParse, ErrorsAreClassified) {
  const auto daily = parse_own("error_429_daily.json", 429);
  EXPECT_EQ(daily.outcome, Outcome::rate_limited);
  EXPECT_EQ(daily.retry_after, Seconds(86400));  // kNow is midnight UTC
  const auto hourly = parse_body(429, read_file(kOwn + "/error_429_hourly.json"));
  EXPECT_EQ(hourly.retry_after, Seconds(3600));
  EXPECT_EQ(classify_error(429, "Hourly API request limit exceeded.", at("2025-01-01T10:59:00Z"))
                .retry_after,
            Seconds(60));
  EXPECT_EQ(classify_error(429, "Daily API request limit exceeded.", at("2025-01-01T23:00:00Z"))
                .retry_after,
            Seconds(3600));
  const auto bad = parse_own("error_400_invalid_timezone.json", 400);
  EXPECT_EQ(bad.outcome, Outcome::bad_payload);
  ASSERT_EQ(bad.rejects.size(), 1u);
  EXPECT_EQ(bad.rejects[0].reason, "Invalid timezone");
  EXPECT_EQ(parse_own("error_401_key_required.json", 401).outcome, Outcome::unauthorized);
  EXPECT_EQ(parse_own("error_503_overloaded.json", 503).outcome, Outcome::transient);
  EXPECT_EQ(parse_own("error_403_plan.json", 403).outcome, Outcome::endpoint_unavailable);
  // A 200 carrying an error body is classified by its reason.
  EXPECT_EQ(parse_own("error_429_daily.json", 200).outcome, Outcome::rate_limited);
  EXPECT_EQ(classify_error(400, "The supplied API key is invalid.", kNow).outcome,
            Outcome::unauthorized);
  EXPECT_EQ(classify_error(400, "No data is available for this location", kNow).outcome,
            Outcome::not_found);
}

TEST(OpenMeteoParse, NonJsonAndTransportFailures) {
  const auto html = response(200, "<html><body>Bad gateway</body></html>", "text/html");
  EXPECT_EQ(parse_openmeteo_response(station(), html, {kNow, true}).outcome, Outcome::transient);
  const auto gw = response(502, "<html>502</html>", "text/html");
  EXPECT_EQ(parse_openmeteo_response(station(), gw, {kNow, true}).outcome, Outcome::transient);
  const auto limited = response(429, "slow down", "text/plain");
  EXPECT_EQ(parse_openmeteo_response(station(), limited, {kNow, true}).outcome,
            Outcome::rate_limited);
  net::HttpResponse cut;
  cut.transport = net::TransportError::timeout;
  cut.transport_message = "Operation timed out";
  EXPECT_EQ(parse_openmeteo_response(station(), cut, {kNow, true}).outcome, Outcome::transient);
}

// ---- bad input -----------------------------------------------------------------------------

// A current-block body around `current` (with `units` as current_units).
std::string current_body(
    const std::string& current,
    const std::string& units = R"({"temperature_2m": "°C", "relative_humidity_2m": "%"})",
    const std::string& extra = "") {
  return R"({"latitude": 1, "longitude": 2, "utc_offset_seconds": 0, )" + extra +
         R"("current_units": )" + units + R"(, "current": )" + current + "}";
}

TEST(OpenMeteoParse, WrongTypesAreRejectsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"time": "2024-01-01T00:00", "temperature_2m": "warm", "relative_humidity_2m": 5})",
       "current.temperature_2m: expected a number"},
      {R"({"time": "2024-01-01T00:00", "temperature_2m": true, "relative_humidity_2m": 5})",
       "current.temperature_2m: expected a number"},
      {R"({"time": "2024-01-01T00:00", "temperature_2m": {}, "relative_humidity_2m": 5})",
       "current.temperature_2m: expected a number"},
      {R"({"time": "2024-01-01T00:00", "temperature_2m": [1], "relative_humidity_2m": 5})",
       "current.temperature_2m: expected a number"},
  };
  for (const auto& [current, reason] : cases) {
    const auto r = parse_body(200, current_body(current));
    EXPECT_TRUE(has_reject(r, reason)) << current << "\n" << rejects_text(r);
    ASSERT_EQ(r.readings.size(), 1u) << current;  // humidity is kept
    EXPECT_EQ(r.readings[0].measurements.size(), 1u);
  }
  const auto units =
      parse_body(200, current_body(R"({"time": "2024-01-01T00:00", "temperature_2m": 1})", "5"));
  EXPECT_TRUE(has_reject(units, "current.temperature_2m: no unit")) << rejects_text(units);
}

TEST(OpenMeteoParse, BadTimesAndShapesAreRejectsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {current_body(R"({"temperature_2m": 1})"), "current.time: missing"},
      {current_body(R"({"time": true, "temperature_2m": 1})"), "current.time: expected"},
      {current_body(R"({"time": 99999999999999999, "temperature_2m": 1})"), "current.time"},
      {current_body(R"({"time": "2024-02-30T25:00", "temperature_2m": 1})"), "current.time"},
      {current_body("5"), "current: expected an object"},
      {current_body("[]"), "current: expected an object"},
      {R"({"hourly": {"time": "2024-01-01T00:00", "temperature_2m": [1]}})",
       "hourly.time: missing or not an array"},
      {R"({"hourly_units": {"temperature_2m": "°C"}, )"
       R"("hourly": {"time": ["2024-01-01T00:00"], "temperature_2m": 1}})",
       "hourly.temperature_2m: expected an array"},
      {R"({"hourly_units": {"temperature_2m": "°C"}, )"
       R"("hourly": {"time": [true], "temperature_2m": [1]}})",
       "hourly.time[0]"},
      {R"({"utc_offset_seconds": "east", "hourly": {"time": [], "temperature_2m": []}})",
       "utc_offset_seconds"},
      {R"({"utc_offset_seconds": 1e12, "hourly": {"time": [], "temperature_2m": []}})",
       "utc_offset_seconds"},
      {R"({"utc_offset_seconds": 1.5, "hourly": {"time": [], "temperature_2m": []}})",
       "utc_offset_seconds"},
      {R"([{"hourly": {"time": [], "temperature_2m": []}}, 7])", "[1]: expected an object"},
  };
  for (const auto& [body, reason] : cases) {
    const auto r = parse_body(200, body);
    EXPECT_TRUE(has_reject(r, reason)) << body << "\n" << rejects_text(r);
    EXPECT_TRUE(r.readings.empty()) << body;
  }
  // A bad block beside a good one: the good one's reading is kept.
  const auto mixed =
      parse_body(200, current_body(R"({"time": "2024-01-01T00:00", "temperature_2m": 1})",
                                   R"({"temperature_2m": "°C"})", R"("current_weather": "x", )"));
  EXPECT_TRUE(has_reject(mixed, "current_weather: expected an object")) << rejects_text(mixed);
  EXPECT_EQ(mixed.readings.size(), 1u);
}

TEST(OpenMeteoParse, TruncatedAndEmptyBodiesAreDeadLettered) {
  const std::string whole = read_file(kOwn + "/forecast_current_gmt.json");
  for (const std::string& body :
       {std::string(), std::string("  \n"), whole.substr(0, whole.size() / 2),
        whole.substr(0, whole.find_last_of('}'))}) {
    const auto r = parse_body(200, body);
    EXPECT_EQ(r.outcome, Outcome::bad_payload) << body;
    EXPECT_TRUE(has_reject(r, "body is not JSON")) << body << "\n" << rejects_text(r);
    EXPECT_TRUE(r.readings.empty());
  }
}

// ---- recorded samples --------------------------------------------------------------------

TEST_F(OpenMeteoSamples, BrasiliaHourlyNegativeOffset) {
  const auto r = parse_sample("forecast_hourly_temperature_brasilia.json");
  ASSERT_EQ(r.outcome, Outcome::ok);
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 168u);
  EXPECT_EQ(r.readings[0].observed_at, at("2023-10-25T03:00:00Z"));  // 00:00 at UTC-3
  EXPECT_DOUBLE_EQ(get(r.readings[0], Metric::temperature).value, 23.1);
  EXPECT_EQ(r.readings[167].observed_at, at("2023-11-01T02:00:00Z"));
  EXPECT_EQ(r.readings[0].station.provider_id, "-15.75,-48");
}

TEST_F(OpenMeteoSamples, AllNullDailyGivesNoReadings) {
  const auto r = parse_sample("forecast_daily_all_null_open_ocean.json");
  EXPECT_EQ(r.outcome, Outcome::ok);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
}

TEST_F(OpenMeteoSamples, LegacyImperialDarwin) {
  const auto r = parse_sample("forecast_current_weather_legacy_imperial_darwin.json");
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& rd = r.readings[0];
  EXPECT_EQ(rd.observed_at, at("2023-10-25T11:15:00Z"));
  EXPECT_NEAR(canonical(rd, Metric::temperature), (84.1 - 32) * 5 / 9, 1e-9);
  EXPECT_NEAR(canonical(rd, Metric::wind_speed), 7.6 * 0.44704, 1e-9);
  EXPECT_DOUBLE_EQ(canonical(rd, Metric::wind_direction), 90);
  const auto metric = parse_sample("forecast_current_weather_legacy_metric_darwin.json");
  ASSERT_EQ(metric.readings.size(), 1u);
  // Both recordings describe the same moment: imperial and metric agree after conversion.
  EXPECT_NEAR(canonical(metric.readings[0], Metric::temperature),
              canonical(rd, Metric::temperature), 0.1);
  EXPECT_NEAR(canonical(metric.readings[0], Metric::wind_speed), canonical(rd, Metric::wind_speed),
              0.05);
}

TEST_F(OpenMeteoSamples, BerlinCurrentBlock) {
  const auto r = parse_sample("forecast_current_block_berlin_handwritten.json");
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& rd = r.readings[0];
  EXPECT_EQ(rd.observed_at, at("2024-01-15T13:00:00Z"));
  EXPECT_DOUBLE_EQ(get(rd, Metric::temperature).value, 3.5);
  EXPECT_DOUBLE_EQ(get(rd, Metric::humidity).value, 78);
  EXPECT_DOUBLE_EQ(get(rd, Metric::cloud_cover).value, 45);
  EXPECT_DOUBLE_EQ(get(rd, Metric::precipitation).value, 0.0);
  EXPECT_NEAR(canonical(rd, Metric::wind_speed), 15.2 / 3.6, 1e-9);
  EXPECT_EQ(rd.measurements.size(), 6u);
  EXPECT_EQ(rd.station.provider_id, "52.52,13.419998");
}

TEST_F(OpenMeteoSamples, MultiLocationArray) {
  const auto r = parse_sample("forecast_multi_location_array_server_test.json");
  EXPECT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 96u);  // 2 locations x 48 hourly steps
  EXPECT_EQ(r.readings[0].observed_at, at("2022-07-12T00:00:00Z"));  // offset 3600
  EXPECT_EQ(r.readings[0].measurements.size(), 2u);
  EXPECT_NEAR(canonical(r.readings[0], Metric::wind_speed), 10.0 / 3.6, 1e-9);
  EXPECT_EQ(r.readings[48].observed_at, r.readings[0].observed_at);
}

TEST_F(OpenMeteoSamples, BeijingCarbonMonoxideInThousands) {
  const auto r = parse_sample("air_quality_hourly_co_beijing.json");
  EXPECT_TRUE(r.rejects.empty()) << rejects_text(r);
  ASSERT_EQ(r.readings.size(), 48u);
  EXPECT_EQ(r.readings[0].observed_at, at("2022-12-31T16:00:00Z"));  // 00:00 at UTC+8
  const auto co = find(r.readings[0], Metric::co);
  ASSERT_TRUE(co.has_value());
  EXPECT_DOUBLE_EQ(co->value, 4048.0);
  EXPECT_TRUE(co->unit.empty());
  EXPECT_TRUE(in_bounds(Metric::co, co->value));
}

TEST_F(OpenMeteoSamples, BerlinAirQualityCurrent) {
  const auto r = parse_sample("air_quality_current_uv_ozone_berlin.json");
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].observed_at, at("2021-11-24T23:00:00Z"));
  ASSERT_EQ(r.readings[0].measurements.size(), 1u);
  EXPECT_DOUBLE_EQ(get(r.readings[0], Metric::o3).value, 82.0);
}

TEST_F(OpenMeteoSamples, ArchiveBodies) {
  const auto brasilia = parse_sample("archive_hourly_temperature_brasilia.json");
  ASSERT_EQ(brasilia.readings.size(), 24u);
  EXPECT_EQ(brasilia.readings[0].observed_at, at("2022-12-29T03:00:00Z"));
  const auto ocean = parse_sample("archive_hourly_temperature_open_ocean.json");
  ASSERT_EQ(ocean.readings.size(), 24u);
  EXPECT_EQ(ocean.readings[0].observed_at, at("2022-12-29T09:00:00Z"));  // Etc/GMT+9
  EXPECT_TRUE(parse_sample("archive_daily_tmax_brasilia.json").readings.empty());
}

TEST_F(OpenMeteoSamples, ErrorBodies) {
  const auto invalid = parse_sample("error_400_invalid_variable.json", 400);
  EXPECT_EQ(invalid.outcome, Outcome::bad_payload);
  ASSERT_EQ(invalid.rejects.size(), 1u);
  EXPECT_NE(invalid.rejects[0].reason.find("tempeture_2m"), std::string::npos);
  EXPECT_EQ(parse_sample("error_400_latitude_out_of_range_constructed.json", 400).outcome,
            Outcome::bad_payload);
  const auto limited = parse_sample("error_429_minutely_limit_constructed.json", 429);
  EXPECT_EQ(limited.outcome, Outcome::rate_limited);
  EXPECT_EQ(limited.retry_after, Seconds(60));
}

TEST_F(OpenMeteoSamples, EverySampleParsesWithoutCrashing) {
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kShared)) {
    const std::string name = entry.path().filename().string();
    const int status = name.starts_with("error_400")   ? 400
                       : name.starts_with("error_429") ? 429
                                                       : 200;
    const auto r = parse_sample(name, status);
    if (name.starts_with("error_")) {
      EXPECT_NE(r.outcome, Outcome::ok) << name;
    } else {
      EXPECT_EQ(r.outcome, Outcome::ok) << name;
      EXPECT_TRUE(r.rejects.empty()) << name << "\n" << rejects_text(r);
    }
    ++files;
  }
  EXPECT_EQ(files, 14u);
}

}  // namespace
}  // namespace envmon::sources::openmeteo
