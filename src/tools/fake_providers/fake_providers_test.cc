#include "tools/fake_providers/fake_providers.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <httplib.h>
#include <simdjson.h>

#include "core/clock.h"
#include "tools/fake_providers/test_support.h"

namespace envmon::fake_providers {
namespace {

using test_support::kShared;
using test_support::kTestdata;
using test_support::slurp;

bool is_json(const std::string& body) {
  simdjson::dom::parser parser;
  return !parser.parse(body).error();
}

class FakeProvidersTest : public ::testing::Test {
 protected:
  void start(FakeOptions o = {}) {
    if (o.samples_dir.empty()) o.samples_dir = kTestdata;
    o.threads = 4;
    fake_ = std::make_unique<FakeProviders>(o);
    ASSERT_TRUE(fake_->start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", fake_->port());
    client_->set_read_timeout(5, 0);
  }
  httplib::Result get(const std::string& target) { return client_->Get(target.c_str()); }
  // Only this fault, always firing, on one provider.
  void always(const std::string& provider, double Faults::*rate) {
    Faults f;
    f.*rate = 1;
    ASSERT_TRUE(fake_->set_faults(provider, f).ok());
  }
  void expect(const std::string& target, int status, const std::string& sample) {
    const auto res = get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, status) << target;
    EXPECT_EQ(res->body, slurp(kTestdata + "/" + sample)) << target;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
  }

  std::unique_ptr<FakeProviders> fake_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FakeProvidersTest, OpenWeatherMapRoutesAndStatuses) {
  FakeOptions o;
  o.keys["openweathermap"] = "good";
  start(o);
  expect("/data/2.5/weather?lat=44.3&lon=10.9&appid=good", 200,
         "openweathermap/current_zocca_standard_units.json");
  expect("/data/2.5/weather?q=zocca&appid=good", 200,
         "openweathermap/current_zocca_standard_units.json");
  expect("/data/2.5/weather?q=nowhere&appid=good", 404,
         "openweathermap/error_404_city_not_found.json");
  expect("/data/2.5/weather?appid=good", 400, "openweathermap/error_400_nothing_to_geocode.json");
  expect("/data/2.5/weather?lat=95&lon=1&appid=good", 400,
         "openweathermap/error_400_wrong_latitude.json");
  expect("/data/2.5/weather?lat=1&lon=1&appid=bad", 401,
         "openweathermap/error_401_invalid_api_key.json");
  expect("/data/2.5/weather?lat=1&lon=1", 401, "openweathermap/error_401_invalid_api_key.json");
  expect("/data/2.5/air_pollution?lat=1&lon=1&appid=good", 200,
         "openweathermap/air_pollution_current_london.json");
  expect("/data/3.0/onecall?lat=1&lon=1&appid=good", 401,
         "openweathermap/error_401_onecall3_no_subscription.json");
  const auto missing = get("/data/2.5/forecast?lat=1&lon=1&appid=good");  // not in testdata
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 500);
}

TEST_F(FakeProvidersTest, WaqiAnswersErrorsWithStatus200) {
  FakeOptions o;
  o.keys["waqi"] = "tok";
  start(o);
  expect("/feed/geo:52.1;5.1/?token=tok", 200, "aqicn/feed_geo_utrecht_ok.json");
  expect("/feed/geo:52.1;5.1/?token=nope", 200, "aqicn/error_invalid_key.json");
  expect("/feed/atlantis/?token=tok", 200, "aqicn/error_unknown_station.json");
  expect("/feed/@4584/?token=tok", 200, "aqicn/feed_geo_utrecht_ok.json");
}

TEST_F(FakeProvidersTest, OpenMeteoRoutes) {
  start();
  expect("/v1/forecast?latitude=52.5&longitude=13.4&current=temperature_2m", 200,
         "open-meteo/forecast_current_block_berlin_handwritten.json");
  expect("/v1/forecast?latitude=-15.7&longitude=-48&hourly=temperature_2m", 200,
         "open-meteo/forecast_hourly_temperature_brasilia.json");
  expect("/v1/forecast?latitude=91&longitude=0&current=temperature_2m", 400,
         "open-meteo/error_400_latitude_out_of_range_constructed.json");
  const auto no_dates = get("/v1/archive?latitude=1&longitude=1&hourly=temperature_2m");
  ASSERT_TRUE(no_dates);
  EXPECT_EQ(no_dates->status, 400);
  EXPECT_NE(no_dates->body.find("start_date"), std::string::npos);
  const auto unknown = get("/nothing/here");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(FakeProvidersTest, NowModeShiftsTimesAndPersonalisesStations) {
  ManualClock clock(from_unix_ms(1'750'000'123'000));  // 2025-06-15T15:08:43Z
  FakeOptions o;
  o.time_mode = TimeMode::now;
  o.clock = &clock;
  start(o);
  const auto owm = get("/data/2.5/weather?lat=10.5&lon=-20.25");
  ASSERT_TRUE(owm);
  EXPECT_NE(owm->body.find("\"dt\": 1749999600"), std::string::npos) << owm->body;  // floor 600 s
  EXPECT_NE(owm->body.find("\"lon\": -20.25, \"lat\": 10.5"), std::string::npos);
  const auto a = get("/feed/geo:1.5;2.5/");
  const auto b = get("/feed/geo:1.5;2.6/");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->body.find("\"iso\":\"2025-06-15T16:00:00+01:00\""), std::string::npos) << a->body;
  EXPECT_NE(a->body.find("\"geo\":[1.5,2.5]"), std::string::npos);
  EXPECT_NE(a->body.substr(0, 60), b->body.substr(0, 60));  // distinct idx per station
  EXPECT_EQ(a->body, get("/feed/geo:1.5;2.5/")->body);      // and stable
  const auto hourly = get("/v1/forecast?latitude=1&longitude=2&hourly=temperature_2m");
  ASSERT_TRUE(hourly);
  EXPECT_NE(hourly->body.find("[\"2025-06-15T00:00\",\"2025-06-15T01:00\""), std::string::npos)
      << hourly->body;
  const auto archive =
      get("/v1/archive?latitude=1&longitude=2&start_date=2025-01-02&end_date=2025-01-02");
  ASSERT_TRUE(archive);
  EXPECT_NE(archive->body.find("\"2025-01-02T00:00\",\"2025-01-02T01:00\""), std::string::npos)
      << archive->body;
  const Stats s = fake_->stats();
  EXPECT_EQ(s.providers.at("openweathermap").station_observations.at("10.5000,-20.2500"),
            (std::vector<int64_t>{1749999600}));
  EXPECT_EQ(s.providers.at("waqi").station_observations.at("1.5000,2.5000").size(), 2u);
}

TEST_F(FakeProvidersTest, RateLimitEveryNthWithRetryAfter) {
  start();
  Faults f;
  f.status_429_every = 2;
  f.retry_after_secs = 30;
  ASSERT_TRUE(fake_->set_faults("*", f).ok());
  EXPECT_EQ(get("/data/2.5/weather?lat=1&lon=1")->status, 200);
  const auto limited = get("/data/2.5/weather?lat=1&lon=1");
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "30");
  EXPECT_EQ(limited->body, slurp(kTestdata + "/openweathermap/error_429_account_blocked.json"));
  get("/feed/geo:1;1/");
  const auto quota = get("/feed/geo:1;1/");
  EXPECT_EQ(quota->status, 200);  // WAQI signals quota in the body
  EXPECT_EQ(quota->body, slurp(kTestdata + "/aqicn/error_over_quota.json"));
  get("/v1/forecast?latitude=1&longitude=1&current=x");
  EXPECT_EQ(get("/v1/forecast?latitude=1&longitude=1&current=x")->status, 429);
  const ProviderStats s = fake_->stats().providers.at("openweathermap");
  EXPECT_EQ(s.by_status.at(429), 1);
  EXPECT_EQ(s.faults.at("429"), 1);
  EXPECT_EQ(s.station_observations.at("1.0000,1.0000").size(), 1u);
}

TEST_F(FakeProvidersTest, BurstOf5xxThenRecovery) {
  start();
  Faults f;
  f.burst_5xx = 2;
  ASSERT_TRUE(fake_->set_faults("openmeteo", f).ok());
  EXPECT_EQ(get("/v1/forecast?latitude=1&longitude=1&current=x")->status, 503);
  EXPECT_EQ(get("/v1/forecast?latitude=1&longitude=1&current=x")->status, 503);
  EXPECT_EQ(get("/v1/forecast?latitude=1&longitude=1&current=x")->status, 200);
  EXPECT_EQ(get("/data/2.5/weather?lat=1&lon=1")->status, 200);  // other providers untouched
  EXPECT_FALSE(fake_->set_faults("nobody", f).ok());
}

TEST_F(FakeProvidersTest, ResetClosesWithoutResponse) {
  start();
  always("waqi", &Faults::reset_rate);
  const auto res = get("/feed/geo:1;1/");
  EXPECT_FALSE(res);
  EXPECT_EQ(fake_->stats().providers.at("waqi").by_status.at(0), 1);
}

TEST_F(FakeProvidersTest, MalformedTruncatedAndHtmlBodies) {
  start();
  always("openweathermap", &Faults::malformed_rate);
  const auto malformed = get("/data/2.5/weather?lat=1&lon=1");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 200);
  EXPECT_FALSE(is_json(malformed->body));
  always("openweathermap", &Faults::truncated_rate);
  const auto truncated = get("/data/2.5/weather?lat=1&lon=1");
  EXPECT_FALSE(truncated &&
               truncated->body.size() ==
                   slurp(kTestdata + "/openweathermap/current_zocca_standard_units.json").size());
  always("waqi", &Faults::html_rate);
  const auto html = get("/feed/geo:1;1/");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(fake_->stats().providers.at("openweathermap").station_observations.size(), 0u);
}

TEST_F(FakeProvidersTest, SlowDripAndLatencyStillDeliverTheWholeBody) {
  start();
  Faults f;
  f.slow_drip_ms = 2;
  f.latency_ms = 5;
  ASSERT_TRUE(fake_->set_faults("openweathermap", f).ok());
  expect("/data/2.5/air_pollution?lat=1&lon=1", 200,
         "openweathermap/air_pollution_current_london.json");
  client_.reset();  // the observation is counted once the last piece is out
  for (int i = 0;
       i < 200 && fake_->stats().providers.at("openweathermap").station_observations.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(fake_->stats().providers.at("openweathermap").station_observations.size(), 1u);
}

TEST_F(FakeProvidersTest, ControlEndpoints) {
  start();
  const auto set =
      client_->Post("/_fake/faults?provider=waqi", R"({"status_429_every":1})", "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_EQ(get("/feed/geo:1;1/")->body, slurp(kTestdata + "/aqicn/error_over_quota.json"));
  EXPECT_EQ(fake_->faults("waqi").status_429_every, 1);
  EXPECT_EQ(
      client_->Post("/_fake/faults?provider=waqi", R"({"latency":1})", "application/json")->status,
      400);
  EXPECT_EQ(client_->Post("/_fake/faults?provider=x", "{}", "application/json")->status, 400);
  EXPECT_EQ(client_->Post("/_fake/faults", "{}", "application/json")->status, 200);  // all
  EXPECT_EQ(get("/feed/geo:1;1/")->body, slurp(kTestdata + "/aqicn/feed_geo_utrecht_ok.json"));
  const auto stats = get("/_fake/stats");
  ASSERT_TRUE(stats);
  EXPECT_TRUE(is_json(stats->body)) << stats->body;
  EXPECT_NE(stats->body.find("\"waqi\":{\"total\":2,"), std::string::npos) << stats->body;
  EXPECT_EQ(client_->Post("/_fake/reset", "", "application/json")->status, 200);
  EXPECT_EQ(fake_->stats().providers.at("waqi").total, 0);
}

TEST_F(FakeProvidersTest, ControlEndpointsRefuseBadInputAndChangeNothing) {
  start();
  Faults before;
  before.status_429_every = 5;
  ASSERT_TRUE(fake_->set_faults("*", before).ok());
  const auto post = [&](const std::string& target, const std::string& body) {
    const auto res = client_->Post(target.c_str(), body, "application/json");
    EXPECT_TRUE(res) << target;
    EXPECT_TRUE(res && res->status == 400) << target << " " << body;
    return res ? res->body : std::string();
  };
  EXPECT_NE(post("/_fake/faults?provider=waqi", "{not json").find("not JSON"), std::string::npos);
  EXPECT_NE(post("/_fake/faults?provider=waqi", "[]").find("must be an object"), std::string::npos);
  EXPECT_NE(post("/_fake/faults?provider=waqi", R"({"latency":1})").find("unknown fault field"),
            std::string::npos);
  EXPECT_NE(post("/_fake/faults?provider=waqi", R"({"reset_rate":2})").find("reset_rate"),
            std::string::npos);
  EXPECT_NE(post("/_fake/faults?provider=nobody", "{}").find("unknown provider 'nobody'"),
            std::string::npos);
  EXPECT_NE(post("/_fake/faults?provider=", "{}").find("unknown provider ''"), std::string::npos);
  for (const Provider p : kAllProviders)
    EXPECT_EQ(fake_->faults(provider_name(p)).status_429_every, 5) << "nothing was applied";
  const auto no_provider = get("/_fake/faults");
  ASSERT_TRUE(no_provider);
  EXPECT_EQ(no_provider->status, 400);
  const auto bad_stations = get("/_fake/stats?stations=maybe");
  ASSERT_TRUE(bad_stations);
  EXPECT_EQ(bad_stations->status, 400);
  EXPECT_NE(bad_stations->body.find("stations must be 0 or 1"), std::string::npos);
  EXPECT_EQ(get("/_fake/stats?stations=0")->body.find("station_observations"), std::string::npos);
}

TEST_F(FakeProvidersTest, HostileQueryTextStaysValidJson) {
  start();
  const auto lon = get("/v1/forecast?latitude=1&longitude=%22%7D%0A&current=x");
  ASSERT_TRUE(lon);
  EXPECT_EQ(lon->status, 400);
  EXPECT_TRUE(is_json(lon->body)) << lon->body;
  const auto path = get("/no%22where%0A");
  ASSERT_TRUE(path);
  EXPECT_EQ(path->status, 404);
  EXPECT_TRUE(is_json(path->body)) << path->body;
  ASSERT_EQ(get("/data/2.5/weather?zip=1%22%7D%5C")->status, 200);
  const auto stats = get("/_fake/stats");
  ASSERT_TRUE(stats);
  EXPECT_TRUE(is_json(stats->body)) << stats->body;
  EXPECT_EQ(fake_->stats().providers.at("openweathermap").station_observations.count("zip:1\"}\\"),
            1u);
}

TEST_F(FakeProvidersTest, SharedSamplesServedByteIdentical) {
  if (!std::filesystem::is_directory(kShared)) GTEST_SKIP() << "no shared samples at " << kShared;
  FakeOptions o;
  o.samples_dir = kShared;
  o.onecall_subscribed = true;
  start(o);
  const std::pair<const char*, const char*> cases[] = {
      {"/data/2.5/weather?lat=44&lon=10", "openweathermap/current_zocca_standard_units.json"},
      {"/data/3.0/onecall?lat=51&lon=0", "openweathermap/onecall3_greenwich_standard_units.json"},
      {"/feed/geo:52.1;5.1/", "aqicn/feed_geo_utrecht_ok.json"},
      {"/v1/air-quality?latitude=52&longitude=13&current=ozone",
       "open-meteo/air_quality_current_uv_ozone_berlin.json"},
      {"/v1/forecast?latitude=1&longitude=1&current_weather=true&temperature_unit=fahrenheit",
       "open-meteo/forecast_current_weather_legacy_imperial_darwin.json"},
  };
  for (const auto& [target, file] : cases) {
    const auto res = get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->body, slurp(kShared + "/" + file)) << target;
  }
}

TEST_F(FakeProvidersTest, SharedSamplesInNowModeStayValidJson) {
  if (!std::filesystem::is_directory(kShared)) GTEST_SKIP() << "no shared samples at " << kShared;
  FakeOptions o;
  o.samples_dir = kShared;
  o.time_mode = TimeMode::now;
  o.onecall_subscribed = true;
  start(o);
  for (const char* target :
       {"/data/2.5/weather?lat=44&lon=10", "/data/3.0/onecall?lat=51&lon=0",
        "/data/2.5/forecast?lat=1&lon=2", "/data/2.5/air_pollution/forecast?lat=1&lon=2",
        "/feed/geo:52.1;5.1/", "/feed/@10002/", "/search/?keyword=klundert",
        "/map/bounds/?latlng=1,2,3,4", "/v1/air-quality?latitude=52&longitude=13",
        "/v1/archive?latitude=1&longitude=2&start_date=2024-01-01&end_date=2024-01-01"}) {
    const auto res = get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 200) << target;
    EXPECT_TRUE(is_json(res->body)) << target;
  }
}

}  // namespace
}  // namespace envmon::fake_providers
