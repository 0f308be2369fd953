#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "model/units.h"
#include "sources/openmeteo/openmeteo_archive.h"
#include "sources/openmeteo/openmeteo_config.h"
#include "sources/openmeteo/openmeteo_parse.h"
#include "sources/openmeteo/openmeteo_provider.h"
#ifdef ENVMON_OPENMETEO_HAS_FACTORY
#include <cstdlib>

#include "core/clock.h"
#include "core/metrics.h"
#include "sources/openmeteo/openmeteo_source.h"
#endif

namespace envmon::sources::openmeteo {
namespace {

namespace fs = std::filesystem;
using http::Outcome;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

const std::string kShared = ENVMON_SOURCE_DIR "/../shared/data/api-samples/open-meteo";
const std::string kOwn = ENVMON_SOURCE_DIR "/src/sources/openmeteo/testdata";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Timestamp at(std::string_view rfc3339) {
  return parse_rfc3339(rfc3339).value();
}

const Timestamp kNow = at("2025-01-01T00:00:00Z");

config::StationConfig station() {
  config::StationConfig s;
  s.id = "st1";
  s.name = "Station One";
  s.lat = 52.52;
  s.lon = 13.41;
  return s;
}

net::HttpResponse response(int status, std::string body,
                           std::string content_type = "application/json; charset=utf-8") {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

http::ParseResult parse_body(int status, const std::string& body, bool skip_future = true) {
  return parse_openmeteo_response(station(), response(status, body),
                                  ParseOptions{kNow, skip_future});
}

http::ParseResult parse_own(const std::string& name, int status = 200) {
  return parse_body(status, read_file(kOwn + "/" + name));
}

const Measurement* find(const Reading& r, Metric m) {
  for (const auto& meas : r.measurements) {
    if (meas.metric == m) return &meas;
  }
  return nullptr;
}

// The measurement, or a failed expectation and a NaN placeholder (never a null dereference).
const Measurement& get(const Reading& r, Metric m) {
  static const Measurement kMissing{Metric::temperature, std::nan(""), std::nan(""), "missing", 0};
  if (const Measurement* meas = find(r, m)) return *meas;
  ADD_FAILURE() << "no " << metric_id(m) << " in the reading";
  return kMissing;
}

double canonical(const Reading& r, Metric m) {
  const Measurement* meas = find(r, m);
  if (meas == nullptr) return std::nan("");
  return to_canonical(m, meas->unit, meas->value).value();
}

std::string rejects_text(const http::ParseResult& r) {
  std::string out;
  for (const auto& j : r.rejects)
    out += j.error_code + ": " + j.reason + "\n";
  return out;
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
  EXPECT_EQ(find(rd, Metric::pressure), nullptr);
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
  EXPECT_EQ(find(r.readings[1], Metric::temperature), nullptr);
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
  const Measurement* co = find(r.readings[0], Metric::co);
  ASSERT_NE(co, nullptr);
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

// ---- provider: tasks and requests ---------------------------------------------------------

TEST(OpenMeteoProvider, TasksPerStationAndEndpoint) {
  OpenMeteoConfig cfg;
  cfg.endpoint_list = {Endpoint::forecast, Endpoint::air_quality};
  const OpenMeteoProvider p(cfg);
  const auto tasks = p.tasks({station(), station()});
  ASSERT_EQ(tasks.size(), 4u);
  EXPECT_EQ(tasks[0].endpoint, "forecast");
  EXPECT_EQ(tasks[0].min_interval, Seconds(0));
  EXPECT_EQ(tasks[1].endpoint, "air_quality");
  EXPECT_EQ(tasks[1].min_interval, Seconds(3600));
  EXPECT_EQ(tasks[3].station_index, 1u);
  EXPECT_DOUBLE_EQ(tasks[0].weight, 1.0);
  EXPECT_EQ(p.name(), "openmeteo");
}

TEST(OpenMeteoProvider, BuildsForecastAndAirQualityUrls) {
  OpenMeteoConfig cfg;
  cfg.endpoint_list = {Endpoint::forecast, Endpoint::air_quality};
  const OpenMeteoProvider p(cfg);
  const auto tasks = p.tasks({station()});
  const auto f = p.build(tasks[0], station());
  EXPECT_EQ(f.url,
            "https://api.open-meteo.com/v1/forecast?latitude=52.52&longitude=13.41&current="
            "temperature_2m,relative_humidity_2m,pressure_msl,wind_speed_10m,wind_direction_10m,"
            "precipitation,cloud_cover&wind_speed_unit=ms&timezone=GMT");
  EXPECT_EQ(f.redacted_url, f.url);
  EXPECT_EQ(f.method, "GET");
  const auto a = p.build(tasks[1], station());
  EXPECT_EQ(a.url,
            "https://air-quality-api.open-meteo.com/v1/air-quality?latitude=52.52&longitude=13.41"
            "&current=pm10,pm2_5,carbon_monoxide,nitrogen_dioxide,sulphur_dioxide,ozone"
            "&timezone=GMT");
}

TEST(OpenMeteoProvider, ApiKeyIsSentAndRedacted) {
  OpenMeteoConfig cfg;
  cfg.endpoint_list = {Endpoint::forecast};
  cfg.forecast_base_url = "https://customer-api.open-meteo.com";
  cfg.api_key = "s3cr&t";
  const OpenMeteoProvider p(cfg);
  const auto req = p.build(p.tasks({station()})[0], station());
  EXPECT_TRUE(req.url.ends_with("&apikey=s3cr%26t")) << req.url;
  EXPECT_TRUE(req.redacted_url.ends_with("&apikey=REDACTED"));
  EXPECT_EQ(req.redacted_url.find("s3cr"), std::string::npos);
}

TEST(OpenMeteoProvider, ParseGoesThroughTheProvider) {
  const OpenMeteoProvider p(OpenMeteoConfig{});
  http::FetchTask task;
  task.endpoint = "forecast";
  const auto r =
      p.parse(task, station(), response(200, read_file(kOwn + "/forecast_current_gmt.json")), kNow);
  EXPECT_EQ(r.readings.size(), 1u);
}

TEST(OpenMeteoProvider, CallWeightFollowsTheContract) {
  EXPECT_DOUBLE_EQ(call_weight(7, 1), 1.0);
  EXPECT_DOUBLE_EQ(call_weight(20, 1), 2.0);
  EXPECT_DOUBLE_EQ(call_weight(7, 28), 1.4);
  EXPECT_DOUBLE_EQ(call_weight(15, 42), 4.5);
  EXPECT_DOUBLE_EQ(call_weight(0, 0), 1.0);
}

// ---- archive -------------------------------------------------------------------------------

Date ymd(int y, unsigned m, unsigned d) {
  return Date{year(y), month(m), day(d)};
}

TEST(OpenMeteoArchiveProvider, ChunksAreInclusiveAndCoverTheRange) {
  const auto chunks = archive_chunks(ymd(2024, 1, 1), ymd(2024, 3, 1), 14);
  ASSERT_EQ(chunks.size(), 5u);  // 61 days
  EXPECT_EQ(chunks[0].first, ymd(2024, 1, 1));
  EXPECT_EQ(chunks[0].second, ymd(2024, 1, 14));
  EXPECT_EQ(chunks[1].first, ymd(2024, 1, 15));
  EXPECT_EQ(chunks[3].second, ymd(2024, 2, 25));  // across the leap day
  EXPECT_EQ(chunks[4].first, ymd(2024, 2, 26));
  EXPECT_EQ(chunks[4].second, ymd(2024, 3, 1));
  EXPECT_EQ(archive_chunks(ymd(2024, 1, 1), ymd(2024, 1, 1), 14).size(), 1u);
  EXPECT_TRUE(archive_chunks(ymd(2024, 1, 2), ymd(2024, 1, 1), 14).empty());
  EXPECT_EQ(archive_chunks(ymd(2024, 1, 1), ymd(2024, 1, 3), 0).size(), 3u);
}

TEST(OpenMeteoArchiveProvider, EndIsClampedToTheArchiveLag) {
  const auto moved = clamp_archive_end(ymd(2024, 3, 10), ymd(2024, 3, 12));
  EXPECT_EQ(moved.to, ymd(2024, 3, 7));
  EXPECT_NE(moved.warning.find("2024-03-07"), std::string::npos) << moved.warning;
  const auto kept = clamp_archive_end(ymd(2024, 3, 1), ymd(2024, 3, 12));
  EXPECT_EQ(kept.to, ymd(2024, 3, 1));
  EXPECT_TRUE(kept.warning.empty());
  EXPECT_EQ(utc_date(at("2024-02-29T23:59:59Z")), ymd(2024, 2, 29));
  EXPECT_EQ(parse_iso_date("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_FALSE(parse_iso_date("2023-02-29").has_value());
  EXPECT_EQ(format_iso_date(ymd(987, 1, 2)), "0987-01-02");
}

TEST(OpenMeteoArchiveProvider, TaskAndRequestPerStation) {
  OpenMeteoConfig cfg;
  const auto p = make_openmeteo_archive_provider(cfg, ymd(2024, 1, 1), ymd(2024, 1, 28));
  const auto tasks = p->tasks({station(), station()});
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].endpoint, "archive");
  EXPECT_DOUBLE_EQ(tasks[0].weight, 1.4);  // 7 variables x 28/14 days
  const auto req = p->build(tasks[1], station());
  EXPECT_EQ(req.url,
            "https://archive-api.open-meteo.com/v1/archive?latitude=52.52&longitude=13.41"
            "&start_date=2024-01-01&end_date=2024-01-28&hourly=temperature_2m,"
            "relative_humidity_2m,pressure_msl,wind_speed_10m,wind_direction_10m,precipitation,"
            "cloud_cover&wind_speed_unit=ms&timezone=GMT");
  const auto r = p->parse(tasks[0], station(),
                          response(200, read_file(kOwn + "/hourly_negative_offset_nulls.json")),
                          at("2023-10-26T00:00:00Z"));
  EXPECT_EQ(r.readings.size(), 3u);  // archive never drops steps as "future"
}

// ---- config -------------------------------------------------------------------------------

Result<OpenMeteoConfig> parse_yaml(const std::string& text) {
  auto node = config::load_text(text, "test.yaml");
  if (!node.ok()) return node.error();
  return parse_openmeteo_config(node->child("openmeteo"), {"limit_per_day"});
}

TEST(OpenMeteoConfig, DefaultsAndOverrides) {
  const auto d = parse_yaml("openmeteo: {}\n");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->endpoint_list.size(), 2u);
  EXPECT_EQ(d->archive_chunk_days, 14);
  EXPECT_EQ(d->api_key_env, "OPEN_METEO_API_KEY");
  const auto o = parse_yaml(
      "openmeteo:\n  forecast_base_url: http://127.0.0.1:8080/\n  endpoints: [air_quality]\n"
      "  limit_per_day: 100\n  archive_chunk_days: 30\n");
  ASSERT_TRUE(o.ok()) << o.error().to_string();
  EXPECT_EQ(o->forecast_base_url, "http://127.0.0.1:8080");
  ASSERT_EQ(o->endpoint_list.size(), 1u);
  EXPECT_EQ(o->endpoint_list[0], Endpoint::air_quality);
  EXPECT_EQ(o->archive_chunk_days, 30);
  EXPECT_DOUBLE_EQ(openmeteo_poller_defaults().values.limit_per_minute, 600);
}

TEST(OpenMeteoConfig, ErrorsNameTheKey) {
  const auto bad = parse_yaml(
      "openmeteo:\n  endpoints: [forecast, archive]\n  archive_chunk_days: 93\n"
      "  forecast_base_url: ftp://x\n  colour: blue\n");
  ASSERT_FALSE(bad.ok());
  const std::string m = bad.error().message();
  EXPECT_NE(m.find("endpoints"), std::string::npos) << m;
  EXPECT_NE(m.find("archive_chunk_days"), std::string::npos) << m;
  EXPECT_NE(m.find("forecast_base_url"), std::string::npos) << m;
  EXPECT_NE(m.find("colour"), std::string::npos) << m;
}

#ifdef ENVMON_OPENMETEO_HAS_FACTORY
// ---- factory (needs the polling engine) -----------------------------------------------------

Result<std::unique_ptr<Source>> make_from(const std::string& yaml) {
  static MetricsRegistry registry;
  static ManualClock clock(kNow);
  config::SourceSection section;
  section.name = "om";
  section.type = "openmeteo";
  section.settings = config::load_text(yaml, "test.yaml").value();
  const SourceSpec spec{&section, {station()}};
  return make_openmeteo_source(spec,
                               ComponentContext("source", "openmeteo", "om", registry, clock));
}

TEST(OpenMeteoSource, FactoryAcceptsProviderAndEngineKeys) {
  const auto made = make_from(
      "forecast_base_url: http://127.0.0.1:9\nlimit_per_day: 100\n"
      "endpoints: [forecast]\n");
  EXPECT_TRUE(made.ok()) << made.error().message();
  const auto bad = make_from("colour: blue\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("colour"), std::string::npos) << bad.error().message();
}

TEST(OpenMeteoSource, SampleYamlIsValid) {
  const auto entry = config::load_file(kOwn + "/../sample.yaml");
  ASSERT_TRUE(entry.ok()) << entry.error().message();
  YAML::Emitter out;
  out << entry->child("openmeteo").yaml();
  const auto made = make_from(out.c_str());
  EXPECT_TRUE(made.ok()) << made.error().message();
}

TEST(OpenMeteoSource, OptionalKeyComesFromTheEnvironment) {
  auto node = config::load_text("api_key_env: ENVMON_OM_TEST_KEY\n", "test.yaml").value();
  ::unsetenv("ENVMON_OM_TEST_KEY");
  const auto free_tier = parse_openmeteo_config(node);
  ASSERT_TRUE(free_tier.ok()) << free_tier.error().message();
  EXPECT_TRUE(free_tier->api_key.empty());
  ::setenv("ENVMON_OM_TEST_KEY", "k123", 1);
  const auto paid = parse_openmeteo_config(node);
  ::unsetenv("ENVMON_OM_TEST_KEY");
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->api_key, "k123");
}

TEST(OpenMeteoSource, SchemaDocsIncludeEngineKeysWithOpenMeteoDefaults) {
  const auto docs = openmeteo_schema_docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].section, "sources[].openmeteo");
  bool saw_minute = false, saw_endpoints = false;
  for (const auto& f : docs[0].fields) {
    if (f.key == "limit_per_minute") saw_minute = f.default_value == "600";
    if (f.key == "endpoints") saw_endpoints = f.default_value == "[forecast, air_quality]";
  }
  EXPECT_TRUE(saw_minute);
  EXPECT_TRUE(saw_endpoints);
}
#endif

}  // namespace
}  // namespace envmon::sources::openmeteo
