#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "config/node.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "model/units.h"
#include "sources/http/provider_test_support.h"
#include "sources/openweathermap/openweathermap_config.h"
#include "sources/openweathermap/openweathermap_parse.h"
#include "sources/openweathermap/openweathermap_provider.h"
#include "sources/openweathermap/openweathermap_source.h"

namespace envmon::sources::owm {
namespace {

using http::Outcome;
using http::testing::find;
using http::testing::has_reject;
using http::testing::rejects_text;
using http::testing::unit_of;
using http::testing::value;

const std::string kShared = http::testing::kSharedSamples + "openweathermap/";
const std::string kOwn = ENVMON_SOURCE_DIR "/src/sources/openweathermap/testdata/";
constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

config::StationConfig station() {
  return http::testing::make_station("zocca", "Zocca", 44.34, 10.99);
}

OpenWeatherMapProvider provider(std::vector<Endpoint> endpoints = {}) {
  OpenWeatherMapConfig cfg;
  cfg.endpoint_kinds = std::move(endpoints);
  return OpenWeatherMapProvider(cfg, kKey, "owm");
}

Timestamp at(int64_t unix_secs) {
  return http::testing::unix_at(unix_secs);
}

http::ParseResult parse_as(const std::string& endpoint, int status, const std::string& body,
                           Timestamp now = at(1800000000)) {
  http::FetchTask task;
  task.endpoint = endpoint;
  return provider().parse(task, station(), http::testing::make_response(status, body), now);
}

std::string own(const std::string& name) {
  return http::testing::read_fixture(kOwn + name);
}

#define LOAD_SAMPLE(var, name) ENVMON_LOAD_SAMPLE(var, kShared, name)

TEST(OpenWeatherMapProvider, BuildsLatLonRequestWithoutModeOrUnitsAndRedactsKey) {
  const auto p = provider({Endpoint::weather, Endpoint::air_pollution, Endpoint::onecall});
  for (const auto& task : p.tasks({station()})) {
    const auto req = p.build(task, station());
    EXPECT_NE(req.url.find("lat=44.34&lon=10.99"), std::string::npos) << req.url;
    EXPECT_NE(req.url.find(std::string("appid=") + kKey), std::string::npos);
    EXPECT_EQ(req.redacted_url.find(kKey), std::string::npos) << req.redacted_url;
    EXPECT_EQ(req.url.find("mode="), std::string::npos);
    EXPECT_EQ(req.url.find("units="), std::string::npos);
    EXPECT_EQ(req.url.rfind("https://api.openweathermap.org/data/", 0), 0u) << req.url;
  }
}

TEST(OpenWeatherMapProvider, TasksCarryRefreshIntervalsAndOnecallQuota) {
  const auto p = provider({Endpoint::weather, Endpoint::air_pollution, Endpoint::onecall});
  const auto tasks = p.tasks({station(), station()});
  ASSERT_EQ(tasks.size(), 6u);
  EXPECT_EQ(tasks[0].endpoint, "weather");
  EXPECT_EQ(tasks[0].min_interval, Seconds(0));
  EXPECT_EQ(tasks[1].endpoint, "air_pollution");
  EXPECT_EQ(tasks[1].min_interval, Seconds(3600));
  EXPECT_EQ(tasks[2].quota_group, "onecall");
  EXPECT_EQ(tasks[5].station_index, 1u);
  const auto quotas = p.group_quotas();
  ASSERT_EQ(quotas.size(), 1u);
  EXPECT_EQ(quotas[0].group, "onecall");
  EXPECT_EQ(quotas[0].window, http::QuotaWindow::day);
  EXPECT_EQ(quotas[0].limit, 1000);
  EXPECT_TRUE(provider().group_quotas().empty());
  EXPECT_EQ(provider().tasks({station()}).size(), 2u);  // default: weather + air_pollution
}

TEST(OpenWeatherMapProvider, ZoccaStandardUnitsInKelvin) {
  LOAD_SAMPLE(body, "current_zocca_standard_units.json");
  const auto r = parse_as("weather", 200, body);
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& reading = r.readings[0];
  const auto t = find(reading, Metric::temperature);
  ASSERT_TRUE(t.has_value());
  EXPECT_DOUBLE_EQ(t->value, 298.48);
  EXPECT_EQ(t->unit, "K");
  EXPECT_NEAR(to_canonical(Metric::temperature, t->unit, t->value).value(), 25.33, 1e-9);
  EXPECT_DOUBLE_EQ(value(reading, Metric::humidity), 64);
  EXPECT_DOUBLE_EQ(value(reading, Metric::pressure), 1015);
  EXPECT_DOUBLE_EQ(value(reading, Metric::wind_speed), 0.62);
  EXPECT_DOUBLE_EQ(value(reading, Metric::wind_direction), 349);
  EXPECT_DOUBLE_EQ(value(reading, Metric::cloud_cover), 100);
  EXPECT_DOUBLE_EQ(value(reading, Metric::precipitation), 3.16);
  EXPECT_EQ(reading.observed_at, at(1661870592));
  EXPECT_EQ(reading.station.provider_id, "3163858");
  EXPECT_EQ(reading.station.id.get(), "zocca");
  EXPECT_EQ(reading.source.get(), "owm");
}

TEST(OpenWeatherMapProvider, RecordedWeatherSamplesToleratesMissingFields) {
  LOAD_SAMPLE(london, "current_london_metric.json");
  EXPECT_EQ(parse_as("weather", 200, london).readings.size(), 1u);
  LOAD_SAMPLE(moscow, "current_moscow_metric_missing_fields.json");
  const auto m = parse_as("weather", 200, moscow);
  ASSERT_EQ(m.outcome, Outcome::ok);
  ASSERT_EQ(m.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(m.readings[0], Metric::wind_speed), 5);
  EXPECT_FALSE(find(m.readings[0], Metric::precipitation).has_value());
  LOAD_SAMPLE(rain, "current_paris_rain_1h_and_3h.json");
  const auto r = parse_as("weather", 200, rain);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::precipitation), 1.3);  // 1h wins over 3h
  EXPECT_FALSE(find(r.readings[0], Metric::cloud_cover).has_value());
  LOAD_SAMPLE(snow, "current_paris_snow_3h.json");
  const auto s = parse_as("weather", 200, snow);
  ASSERT_EQ(s.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(s.readings[0], Metric::precipitation), 3.0);
}

TEST(OpenWeatherMapProvider, AirPollutionMapsComponentsNotOwmAqi) {
  LOAD_SAMPLE(body, "air_pollution_current_london.json");
  const auto r = parse_as("air_pollution", 200, body);
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& reading = r.readings[0];
  EXPECT_EQ(reading.measurements.size(), 6u);
  EXPECT_DOUBLE_EQ(value(reading, Metric::pm25), 3.15);
  EXPECT_DOUBLE_EQ(value(reading, Metric::co), 250.34);
  EXPECT_EQ(unit_of(reading, Metric::pm25), "ug/m3");
  EXPECT_FALSE(find(reading, Metric::aqi_us).has_value());
  EXPECT_EQ(r.missing_values, 3u);  // main.aqi (1..5 scale), no, nh3
  EXPECT_EQ(reading.observed_at, at(1611597600));
  LOAD_SAMPLE(docs, "air_pollution_docs_example_coord_array.json");
  const auto d = parse_as("air_pollution", 200, docs);
  ASSERT_EQ(d.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(d.readings[0], Metric::pm25), 0.5);
}

TEST(OpenWeatherMapProvider, AirPollutionForecastKeepsOnlyBegunHours) {
  LOAD_SAMPLE(body, "air_pollution_forecast_two_hours.json");
  EXPECT_EQ(parse_as("air_pollution_forecast", 200, body, at(1613606400 + 60)).readings.size(), 1u);
  EXPECT_EQ(parse_as("air_pollution_forecast", 200, body, at(1613606400 - 60)).readings.size(), 0u);
  EXPECT_EQ(parse_as("air_pollution_forecast", 200, body, at(1613610000)).readings.size(), 2u);
  EXPECT_EQ(parse_as("air_pollution", 200, body).readings.size(), 2u);  // history-shaped body
}

TEST(OpenWeatherMapProvider, OnecallCurrentBlock) {
  LOAD_SAMPLE(body, "onecall3_greenwich_standard_units.json");
  const auto r = parse_as("onecall", 200, body);
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::temperature), 287.89);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::cloud_cover), 100);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::precipitation), 0.29);
  EXPECT_EQ(r.readings[0].observed_at, at(1729871958));
}

TEST(OpenWeatherMapProvider, RecordedErrorsMapToOutcomes) {
  LOAD_SAMPLE(invalid, "error_401_invalid_api_key.json");
  EXPECT_EQ(parse_as("weather", 401, invalid).outcome, Outcome::unauthorized);
  LOAD_SAMPLE(onecall, "error_401_onecall3_no_subscription.json");
  EXPECT_EQ(parse_as("onecall", 401, onecall).outcome, Outcome::endpoint_unavailable);
  LOAD_SAMPLE(city, "error_404_city_not_found.json");
  EXPECT_EQ(parse_as("weather", 404, city).outcome, Outcome::not_found);
  LOAD_SAMPLE(lat, "error_400_wrong_latitude.json");
  const auto bad = parse_as("weather", 400, lat);
  EXPECT_EQ(bad.outcome, Outcome::bad_payload);
  ASSERT_EQ(bad.rejects.size(), 1u);
  EXPECT_NE(bad.rejects[0].reason.find("wrong latitude"), std::string::npos);
  LOAD_SAMPLE(geocode, "error_400_nothing_to_geocode.json");
  EXPECT_EQ(parse_as("weather", 400, geocode).outcome, Outcome::bad_payload);
  LOAD_SAMPLE(blocked, "error_429_account_blocked.json");
  EXPECT_EQ(parse_as("weather", 429, blocked).outcome, Outcome::rate_limited);
  LOAD_SAMPLE(forecast, "forecast5d_paris_metric.json");
  EXPECT_EQ(body_cod(forecast), 200);  // string "200" is success, not an error
  EXPECT_EQ(parse_as("weather", 200, forecast).outcome, Outcome::bad_payload);  // no top-level dt
}

TEST(OpenWeatherMapProvider, OwnFixturesNumbersAsStringsAndNoData) {
  const auto r = parse_as("weather", 200, own("weather_numbers_as_strings.json"));
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::temperature), 280.15);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::precipitation), 0.6);  // rain.3h fallback
  EXPECT_EQ(r.readings[0].observed_at, at(1700000000));
  EXPECT_EQ(r.readings[0].station.provider_id, "");  // id 0: an arbitrary point
  EXPECT_EQ(r.missing_values, 2u);                   // pressure null, clouds "-"
  EXPECT_EQ(parse_as("weather", 200, own("weather_no_dt.json")).outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_as("weather", 200, own("weather_error_cod_in_200.json")).outcome,
            Outcome::not_found);
}

TEST(OpenWeatherMapProvider, OwnFixturesAirPollutionAndOnecall) {
  const auto air = parse_as("air_pollution", 200, own("air_pollution_partial.json"));
  EXPECT_EQ(air.outcome, Outcome::ok);
  ASSERT_EQ(air.readings.size(), 1u);
  EXPECT_EQ(air.readings[0].measurements.size(), 2u);
  EXPECT_DOUBLE_EQ(value(air.readings[0], Metric::pm10), 20);
  EXPECT_EQ(air.rejects.size(), 2u);  // item without dt, item with nothing mapped
  const auto one = parse_as("onecall", 200, own("onecall_current_small.json"));
  ASSERT_EQ(one.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(one.readings[0], Metric::precipitation), 0.4);  // snow.1h
  EXPECT_DOUBLE_EQ(value(one.readings[0], Metric::temperature), 273);
}

TEST(OpenWeatherMapProvider, BrokenBodiesAndTransportErrors) {
  const auto truncated = parse_as("weather", 200, R"({"main": {"temp": 28)");
  EXPECT_EQ(truncated.outcome, Outcome::bad_payload);
  EXPECT_FALSE(truncated.rejects.empty());
  EXPECT_EQ(parse_as("weather", 200, "<html>gateway</html>").outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_as("weather", 200, "[1,2]").outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_as("weather", 503, "Service Unavailable").outcome, Outcome::transient);
  EXPECT_EQ(parse_as("weather", 401, "").outcome, Outcome::unauthorized);
  net::HttpResponse reset;
  reset.transport = net::TransportError::reset;
  EXPECT_EQ(provider().parse(http::FetchTask{}, station(), reset, at(0)).outcome,
            Outcome::transient);
}

TEST(OpenWeatherMapConfig, DefaultsPassthroughAndBadEndpoint) {
  auto node =
      config::load_text("limit_per_minute: 30\nendpoints: [onecall, weather, onecall]\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_openweathermap_config(*node, {"limit_per_minute"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_EQ(cfg->base_url, "https://api.openweathermap.org");
  EXPECT_EQ(cfg->api_key_env, "OWM_API_KEY");
  EXPECT_EQ(cfg->onecall_limit_per_day, 1000);
  EXPECT_EQ(cfg->endpoint_kinds, (std::vector<Endpoint>{Endpoint::onecall, Endpoint::weather}));
  auto empty = parse_openweathermap_config(config::Node(), {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->endpoint_kinds,
            (std::vector<Endpoint>{Endpoint::weather, Endpoint::air_pollution}));
  auto bad = config::load_text("endpoints: [forecast]\n", "t.yaml");
  EXPECT_FALSE(parse_openweathermap_config(*bad, {}).ok());
  auto unknown = config::load_text("units: metric\n", "t.yaml");
  EXPECT_FALSE(parse_openweathermap_config(*unknown, {}).ok());
  EXPECT_EQ(openweathermap_poller_defaults().values.limit_per_minute, 60);
  EXPECT_EQ(openweathermap_poller_defaults().values.limit_per_month, 1000000);
}

// ---- bad input: every field group of every endpoint -----------------------------------------

// A body whose only problem is `bad`; the reject must name `field` and the reading keep the rest.
void expect_field_reject(const std::string& endpoint, const std::string& body,
                         const std::string& field) {
  const auto r = parse_as(endpoint, 200, body);
  EXPECT_TRUE(has_reject(r, field)) << endpoint << " " << body << "\n" << rejects_text(r);
  EXPECT_EQ(r.outcome, Outcome::ok) << body;
  EXPECT_EQ(r.readings.size(), 1u) << body;
}

TEST(OpenWeatherMapProvider, WrongTypesInWeatherAreRejectsNamingTheField) {
  const std::string ok_part = R"("dt": 1700000000, "main": {"humidity": 50})";
  expect_field_reject("weather", R"({"dt": 1700000000, "main": {"temp": "warm", "humidity": 50}})",
                      "main.temp");
  expect_field_reject("weather", "{" + ok_part + R"(, "wind": {"speed": true, "deg": 90}})",
                      "wind.speed");
  expect_field_reject("weather", "{" + ok_part + R"(, "wind": {"deg": [1]}})", "wind.deg");
  expect_field_reject("weather", "{" + ok_part + R"(, "clouds": {"all": {}}})", "clouds.all");
  expect_field_reject("weather", "{" + ok_part + R"(, "rain": {"1h": "lots"}})", "rain.1h");
  expect_field_reject("weather", "{" + ok_part + R"(, "snow": {"3h": false}})", "snow.3h");
  expect_field_reject("weather", "{" + ok_part + R"(, "rain": 2.5})", "rain: expected an object");
  expect_field_reject("weather", R"({"dt": 1700000000, "main": [1], "clouds": {"all": 5}})",
                      "main: expected an object");
  expect_field_reject("weather", "{" + ok_part + R"(, "wind": "calm"})",
                      "wind: expected an object");
  // Nothing usable at all: bad_payload, every reason kept.
  const auto none = parse_as("weather", 200, R"({"dt": 1700000000, "main": {"temp": "warm"}})");
  EXPECT_EQ(none.outcome, Outcome::bad_payload);
  EXPECT_TRUE(has_reject(none, "main.temp")) << rejects_text(none);
  EXPECT_TRUE(has_reject(none, "weather: no usable measurement")) << rejects_text(none);
  for (const char* dt : {R"("yesterday")", "-5", "1e300", "null", "{}"}) {
    const auto r =
        parse_as("weather", 200, std::string(R"({"dt": )") + dt + R"(, "main": {"temp": 280}})");
    EXPECT_EQ(r.outcome, Outcome::bad_payload) << dt;
    EXPECT_TRUE(has_reject(r, "dt: missing or not a Unix time")) << dt << rejects_text(r);
  }
}

TEST(OpenWeatherMapProvider, WrongTypesInAirPollutionAndOnecall) {
  expect_field_reject("air_pollution",
                      R"({"list": [{"dt": 1700000000, "components": {"pm2_5": "x", "pm10": 20}}]})",
                      "list[0].components.pm2_5");
  const auto comps =
      parse_as("air_pollution", 200, R"({"list": [{"dt": 1700000000, "components": [1]}]})");
  EXPECT_EQ(comps.outcome, Outcome::bad_payload);
  EXPECT_TRUE(has_reject(comps, "list[0].components: missing or not an object"))
      << rejects_text(comps);
  const auto item = parse_as("air_pollution", 200, R"({"list": [7]})");
  EXPECT_EQ(item.outcome, Outcome::bad_payload);
  EXPECT_TRUE(has_reject(item, "list[0].dt")) << rejects_text(item);
  for (const char* list : {R"({"list": {}})", R"({"list": "none"})", "{}"}) {
    const auto r = parse_as("air_pollution_forecast", 200, list);
    EXPECT_EQ(r.outcome, Outcome::bad_payload) << list;
    EXPECT_TRUE(has_reject(r, "list: missing or not an array")) << list;
  }
  expect_field_reject("onecall", R"({"current": {"dt": 1700000000, "temp": [], "humidity": 80}})",
                      "current.temp");
  expect_field_reject("onecall",
                      R"({"current": {"dt": 1700000000, "clouds": "x", "wind_speed": 3}})",
                      "current.clouds");
  expect_field_reject("onecall",
                      R"({"current": {"dt": 1700000000, "temp": 280, "rain": {"1h": {}}}})",
                      "current.rain.1h");
  const auto current = parse_as("onecall", 200, R"({"current": [1]})");
  EXPECT_EQ(current.outcome, Outcome::bad_payload);
  EXPECT_TRUE(has_reject(current, "current: missing or not an object"));
  const auto dt = parse_as("onecall", 200, R"({"current": {"dt": "now", "temp": 280}})");
  EXPECT_TRUE(has_reject(dt, "current.dt")) << rejects_text(dt);
}

TEST(OpenWeatherMapProvider, TruncatedAndEmptyBodiesAreDeadLettered) {
  for (const char* endpoint : {"weather", "air_pollution", "air_pollution_forecast", "onecall"}) {
    for (const char* body : {"", "   ", R"({"dt": 1700000000, "main": {"temp": 2)", R"({"list": [)",
                             "null", "42", R"("text")"}) {
      const auto r = parse_as(endpoint, 200, body);
      EXPECT_EQ(r.outcome, Outcome::bad_payload) << endpoint << " '" << body << "'";
      ASSERT_FALSE(r.rejects.empty()) << endpoint << " '" << body << "'";
      EXPECT_TRUE(has_reject(r, "body")) << rejects_text(r);
      EXPECT_TRUE(r.readings.empty());
    }
  }
}

// The error message of a config that must not parse.
std::string config_error(const std::string& yaml) {
  auto node = config::load_text(yaml, "t.yaml");
  if (!node.ok()) return "yaml: " + node.error().message();
  auto cfg = parse_openweathermap_config(*node, http::poller_key_names());
  return cfg.ok() ? "<parsed>" : cfg.error().message();
}

TEST(OpenWeatherMapConfig, EveryBadKeyIsAnErrorNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"endpoints: [weather, forecast]\n", "endpoints[1]"},
      {"endpoints: weather\n", "endpoints"},
      {"endpoints: [{a: 1}]\n", "endpoints"},
      {"base_url: ftp://api.openweathermap.org\n", "base_url"},
      {"base_url: \"\"\n", "base_url"},
      {"base_url: api.openweathermap.org\n", "base_url"},
      {"base_url: [x]\n", "base_url"},
      {"onecall_limit_per_day: -1\n", "onecall_limit_per_day"},
      {"onecall_limit_per_day: lots\n", "onecall_limit_per_day"},
      {"api_key_env: [A, B]\n", "api_key_env"},
      {"api_key_file: {path: x}\n", "api_key_file"},
      {"units: metric\n", "units"},
      {"[1, 2]\n", "expected a mapping"},
  };
  for (const auto& [yaml, key] : cases) {
    const std::string m = config_error(yaml);
    EXPECT_NE(m.find(key), std::string::npos) << yaml << " -> " << m;
    EXPECT_NE(m, "<parsed>") << yaml;
  }
  // Several mistakes: all of them, in one error.
  const std::string both = config_error("endpoints: [x]\nbase_url: ftp://y\n");
  EXPECT_NE(both.find("endpoints[0]"), std::string::npos) << both;
  EXPECT_NE(both.find("base_url"), std::string::npos) << both;
}

// The factory needs the polling engine (envmon::source_http).
Result<std::unique_ptr<Source>> make_from_yaml(const std::string& yaml, MetricsRegistry& registry,
                                               const Clock& clock) {
  config::SourceSection section;
  section.name = "owm";
  section.type = "openweathermap";
  section.settings = config::load_text(yaml, "t.yaml").value();
  SourceSpec spec{&section, {station()}};
  return make_openweathermap_source(
      spec, ComponentContext("source", "openweathermap", "owm", registry, clock));
}

TEST(OpenWeatherMapSource, FactoryNeedsAKeyAndValidatesKeys) {
  MetricsRegistry registry;
  ManualClock clock(Timestamp(Seconds(1700000000)));
  auto none = make_from_yaml("api_key_env: ENVMON_H_PROV1_UNSET_VAR\n", registry, clock);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), Errc::source_auth);
  EXPECT_NE(none.error().message().find("owm: no API key: set the environment variable "
                                        "ENVMON_H_PROV1_UNSET_VAR"),
            std::string::npos)
      << none.error().message();
  auto unknown = make_from_yaml("colour: blue\n", registry, clock);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), Errc::config_unknown_key);
  ::setenv("ENVMON_H_PROV1_TEST_KEY", "abc123", 1);
  auto made = make_from_yaml("api_key_env: ENVMON_H_PROV1_TEST_KEY\nlimit_per_minute: 10\n",
                             registry, clock);
  EXPECT_TRUE(made.ok()) << made.error().message();
  ::unsetenv("ENVMON_H_PROV1_TEST_KEY");
}

TEST(OpenWeatherMapSource, FactoryErrorsNameTheKeyAndAreReportedOnce) {
  MetricsRegistry registry;
  ManualClock clock(Timestamp(Seconds(1700000000)));
  auto bad =
      make_from_yaml("limit_per_minute: -5\nendpoints: [nope]\ncolour: blue\n", registry, clock);
  ASSERT_FALSE(bad.ok());
  const std::string m = bad.error().message();
  EXPECT_NE(m.find("limit_per_minute"), std::string::npos) << m;
  EXPECT_NE(m.find("endpoints[0]"), std::string::npos) << m;
  EXPECT_EQ(m.find("colour"), m.rfind("colour")) << m;  // one unknown-key error, not two
  auto file =
      make_from_yaml("api_key_env: ENVMON_H_PROV1_UNSET_VAR\napi_key_file: /nonexistent/owm_key\n",
                     registry, clock);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), Errc::source_auth);
  EXPECT_NE(file.error().message().find("/nonexistent/owm_key"), std::string::npos)
      << file.error().message();
}

TEST(OpenWeatherMapSource, SchemaDocsListProviderAndPollerKeys) {
  const auto docs = openweathermap_schema_docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].section, "sources[].openweathermap");
  bool provider_key = false, poller_key = false;
  for (const auto& f : docs[0].fields) {
    if (f.key == "api_key_env") provider_key = true;
    if (f.key == "limit_per_minute") {
      poller_key = true;
      EXPECT_EQ(f.default_value, "60");
    }
  }
  EXPECT_TRUE(provider_key);
  EXPECT_TRUE(poller_key);
}

}  // namespace
}  // namespace envmon::sources::owm
