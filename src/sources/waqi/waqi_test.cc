#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "config/node.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "sources/http/provider_test_support.h"
#include "sources/waqi/waqi_config.h"
#include "sources/waqi/waqi_discovery.h"
#include "sources/waqi/waqi_parse.h"
#include "sources/waqi/waqi_provider.h"
#include "sources/waqi/waqi_source.h"

namespace envmon::sources::waqi {
namespace {

using http::Outcome;
using http::testing::find;
using http::testing::has_reject;
using http::testing::rejects_text;
using http::testing::unit_of;
using http::testing::value;

const std::string kShared = http::testing::kSharedSamples + "aqicn/";
const std::string kOwn = ENVMON_SOURCE_DIR "/src/sources/waqi/testdata/";
constexpr const char* kToken = "feedc0ffee0123456789abcdef0123456789abcd";

std::string own(const std::string& name) {
  return http::testing::read_fixture(kOwn + name);
}

config::StationConfig station(std::string id = "utrecht") {
  return http::testing::make_station(std::move(id), "Utrecht Griftpark", 52.101308, 5.128183);
}

WaqiProvider provider(WaqiConfig cfg = {}) {
  return WaqiProvider(std::move(cfg), kToken, "aq");
}

Timestamp at(std::string_view rfc3339) {
  return http::testing::rfc3339_at(rfc3339);
}

http::ParseResult parse_body(const std::string& body, std::string content_type = "application/json",
                             int status = 200) {
  return provider().parse(http::FetchTask{}, station(),
                          http::testing::make_response(status, body, std::move(content_type)),
                          at("2024-01-01T00:00:00Z"));
}

#define LOAD_SAMPLE(var, name) ENVMON_LOAD_SAMPLE(var, kShared, name)

TEST(WaqiProvider, BuildsGeoCityAndStationRequestsAndRedactsToken) {
  WaqiConfig cfg;
  cfg.uid_by_station["purple"] = -372382;
  const auto p = provider(cfg);
  const auto geo = p.build(http::FetchTask{}, station());
  EXPECT_EQ(geo.url,
            std::string("https://api.waqi.info/feed/geo:52.101308;5.128183/?token=") + kToken);
  EXPECT_EQ(geo.redacted_url.find(kToken), std::string::npos);
  EXPECT_NE(geo.redacted_url.find("token=REDACTED"), std::string::npos);
  const auto uid = p.build(http::FetchTask{}, station("purple"));
  EXPECT_NE(uid.url.find("/feed/@372382/?token="), std::string::npos) << uid.url;
  cfg.query = Query::city;
  const auto city = provider(cfg).build(http::FetchTask{}, station());
  EXPECT_NE(city.url.find("/feed/Utrecht%20Griftpark/?token="), std::string::npos) << city.url;
  const auto search = p.search_request("klundert");
  EXPECT_NE(search.url.find("/search/?keyword=klundert&token="), std::string::npos);
  EXPECT_EQ(search.redacted_url.find(kToken), std::string::npos);
  const auto bounds = p.map_bounds_request(49, -123.5, 49.5, -122.5);
  EXPECT_NE(bounds.url.find("/map/bounds/?latlng=49,-123.5,49.5,-122.5&token="), std::string::npos);
  EXPECT_EQ(bounds.redacted_url.find(kToken), std::string::npos);
  const auto tasks = p.tasks({station(), station("purple")});
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[1].endpoint, "feed");
  EXPECT_EQ(tasks[1].min_interval, Seconds(0));
}

TEST(WaqiProvider, UtrechtSubIndicesAndTimeIsoInstant) {
  LOAD_SAMPLE(body, "feed_city_utrecht_ok_forecast.json");
  const auto r = parse_body(body);
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  const Reading& reading = r.readings[0];
  // time.iso 17:00+02:00 = 15:00Z; time.v (1691427600 = 17:00Z) would be two hours off.
  EXPECT_EQ(reading.observed_at, at("2023-08-07T15:00:00Z"));
  EXPECT_EQ(reading.station.provider_id, "@6332");
  EXPECT_EQ(reading.source.get(), "aq");
  EXPECT_DOUBLE_EQ(value(reading, Metric::aqi_us), 29);
  EXPECT_DOUBLE_EQ(value(reading, Metric::aqi_us_pm25), 1);
  EXPECT_DOUBLE_EQ(value(reading, Metric::aqi_us_o3), 29.4);
  EXPECT_EQ(unit_of(reading, Metric::aqi_us_pm25), "aqi");
  EXPECT_FALSE(find(reading, Metric::pm25).has_value());  // sub-indices are never concentrations
  EXPECT_FALSE(find(reading, Metric::o3).has_value());
  EXPECT_DOUBLE_EQ(value(reading, Metric::temperature), 17.5);
  EXPECT_EQ(unit_of(reading, Metric::temperature), "degC");
  EXPECT_DOUBLE_EQ(value(reading, Metric::humidity), 73.2);
  EXPECT_DOUBLE_EQ(value(reading, Metric::pressure), 1008.8);
  EXPECT_DOUBLE_EQ(value(reading, Metric::wind_speed), 1.6);
  EXPECT_EQ(r.missing_values, 1u);  // wg
}

TEST(WaqiProvider, OtherRecordedFeeds) {
  LOAD_SAMPLE(geo, "feed_geo_utrecht_ok.json");
  const auto g = parse_body(geo);
  ASSERT_EQ(g.readings.size(), 1u);
  EXPECT_EQ(g.readings[0].station.provider_id, "@4584");
  LOAD_SAMPLE(here, "feed_here_amsterdam_ok.json");
  const auto h = parse_body(here);
  ASSERT_EQ(h.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(h.readings[0], Metric::aqi_us_co), 2.3);
  LOAD_SAMPLE(sydney, "feed_station_sydney_dominentpol_neph.json");
  const auto s = parse_body(sydney);
  ASSERT_EQ(s.readings.size(), 1u);
  EXPECT_EQ(s.missing_values, 2u);  // neph, wg
  EXPECT_EQ(s.readings[0].observed_at, at("2023-10-18T06:00:00Z"));
  LOAD_SAMPLE(olivais, "feed_city_olivais_dominentpol_empty.json");
  const auto o = parse_body(olivais);
  ASSERT_EQ(o.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(o.readings[0], Metric::aqi_us_pm25), 51);
  EXPECT_EQ(o.missing_values, 2u);  // dew, wg
}

TEST(WaqiProvider, PurpleAirNegativeIdx) {
  LOAD_SAMPLE(body, "feed_station_purpleair_negative_idx.json");
  const auto r = parse_body(body);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].station.provider_id, "@-372382");
  EXPECT_EQ(r.readings[0].observed_at, at("2023-08-20T19:20:22Z"));
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::aqi_us), 155);
}

TEST(WaqiProvider, KlundertAqiDashKeepsIaqiValues) {
  LOAD_SAMPLE(body, "feed_city_klundert_aqi_dash.json");
  const auto r = parse_body(body);
  ASSERT_EQ(r.outcome, Outcome::ok);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_FALSE(find(r.readings[0], Metric::aqi_us).has_value());
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::aqi_us_pm10), 4);
  EXPECT_DOUBLE_EQ(value(r.readings[0], Metric::aqi_us_no2), 1.6);
  EXPECT_EQ(r.missing_values, 2u);  // aqi "-", wg
}

TEST(WaqiProvider, NastolaHasNoTimestamp) {
  LOAD_SAMPLE(body, "feed_station_nastola_no_time_aqi_dash.json");
  const auto r = parse_body(body);
  EXPECT_EQ(r.outcome, Outcome::ok);
  EXPECT_TRUE(r.readings.empty());
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_NE(r.rejects[0].reason.find("no timestamp"), std::string::npos);
}

TEST(WaqiProvider, RecordedErrorsInsideHttp200) {
  LOAD_SAMPLE(nested, "error_nested_unknown_id_status_ok.json");
  EXPECT_EQ(parse_body(nested).outcome, Outcome::not_found);
  EXPECT_TRUE(parse_body(nested).readings.empty());
  LOAD_SAMPLE(invalid, "error_invalid_key.json");
  EXPECT_EQ(parse_body(invalid).outcome, Outcome::unauthorized);
  EXPECT_EQ(parse_body(invalid).message, "Invalid key");
  LOAD_SAMPLE(quota, "error_over_quota.json");
  EXPECT_EQ(parse_body(quota).outcome, Outcome::rate_limited);
  LOAD_SAMPLE(unknown, "error_unknown_station.json");
  EXPECT_EQ(parse_body(unknown).outcome, Outcome::not_found);
  LOAD_SAMPLE(no_such, "error_no_such_station.json");
  EXPECT_EQ(parse_body(no_such).outcome, Outcome::not_found);
}

TEST(WaqiProvider, OwnFixtures) {
  const auto ok = parse_body(own("feed_small_ok.json"));
  ASSERT_EQ(ok.outcome, Outcome::ok);
  ASSERT_EQ(ok.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(value(ok.readings[0], Metric::aqi_us), 42);  // numeric string
  EXPECT_DOUBLE_EQ(value(ok.readings[0], Metric::humidity), 88);
  EXPECT_DOUBLE_EQ(value(ok.readings[0], Metric::temperature), -3.5);
  EXPECT_EQ(ok.readings[0].station.provider_id, "@-12");
  EXPECT_EQ(ok.readings[0].observed_at, at("2024-01-01T10:00:00Z"));
  EXPECT_EQ(ok.missing_values, 3u);  // o3 "-", dew, r
  const auto s_tz = parse_body(own("feed_time_s_tz_only.json"));
  ASSERT_EQ(s_tz.readings.size(), 1u);
  EXPECT_EQ(s_tz.readings[0].observed_at, at("2024-06-01T13:00:00Z"));
  const auto no_time = parse_body(own("feed_no_time.json"));
  EXPECT_TRUE(no_time.readings.empty());
  EXPECT_EQ(no_time.rejects.size(), 1u);
  EXPECT_EQ(parse_body(own("feed_nested_error.json")).outcome, Outcome::not_found);
  EXPECT_EQ(parse_body(own("error_invalid_key.json")).outcome, Outcome::unauthorized);
}

TEST(WaqiProvider, NonJsonAndHtmlAreTransient) {
  EXPECT_EQ(parse_body("<html><body>502 Bad Gateway</body></html>", "text/html").outcome,
            Outcome::transient);
  EXPECT_EQ(parse_body("<html>oops</html>").outcome, Outcome::transient);
  EXPECT_EQ(parse_body(R"({"status": "ok", "data": {"aqi": 4)").outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_body("", "application/json", 503).outcome, Outcome::transient);
  EXPECT_EQ(parse_body("", "application/json", 429).outcome, Outcome::rate_limited);
  EXPECT_EQ(parse_body(R"({"status": "ok", "data": "weird"})").outcome, Outcome::bad_payload);
  EXPECT_EQ(parse_body(R"({"status": "error", "data": "something new"})").outcome,
            Outcome::bad_payload);
  net::HttpResponse timeout;
  timeout.transport = net::TransportError::timeout;
  EXPECT_EQ(provider().parse(http::FetchTask{}, station(), timeout, Timestamp{}).outcome,
            Outcome::transient);
}

TEST(WaqiDiscovery, RecordedSearchAndMapBounds) {
  LOAD_SAMPLE(search, "search_klundert_ok_aqi_string.json");
  const auto hits = parse_search(search);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].uid, 6337);
  EXPECT_EQ((*hits)[0].aqi, "4");
  EXPECT_EQ((*hits)[0].time, Timestamp(Seconds(1691424000)));
  EXPECT_DOUBLE_EQ((*hits)[0].lat, 51.6689355);
  EXPECT_EQ((*hits)[0].url, "netherland/brabant/klundert");
  LOAD_SAMPLE(dash, "search_klundert_aqi_dash.json");
  EXPECT_EQ(parse_search(dash).value()[0].aqi, "-");
  LOAD_SAMPLE(empty, "search_empty.json");
  EXPECT_TRUE(parse_search(empty).value().empty());
  LOAD_SAMPLE(map, "map_bounds_vancouver_ok.json");
  const auto stations = parse_map_bounds(map);
  ASSERT_TRUE(stations.ok());
  ASSERT_GE(stations->size(), 2u);
  EXPECT_EQ((*stations)[0].uid, -344797);
  EXPECT_EQ((*stations)[0].aqi, "-");
  EXPECT_EQ((*stations)[0].time, at("2022-11-08T03:12:59Z"));
  EXPECT_EQ((*stations)[1].aqi, "27");
}

TEST(WaqiDiscovery, OwnFixturesAndErrors) {
  const auto hits = parse_search(own("search_small.json"));
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);  // the item without uid is skipped
  const auto map = parse_map_bounds(own("map_bounds_small.json"));
  ASSERT_TRUE(map.ok());
  EXPECT_DOUBLE_EQ((*map)[1].lon, -122.9);
  const auto bad = parse_search(own("error_invalid_key.json"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Errc::source_auth);
  EXPECT_FALSE(parse_map_bounds("not json").ok());
}

TEST(WaqiConfig, QueryAndUids) {
  auto node = config::load_text(
      "query: station\nstation_uids: [utrecht=@6332, purple=-372382]\n"
      "refresh_floor_secs: 3600\n",
      "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_waqi_config(*node, {"refresh_floor_secs"});
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_EQ(cfg->query, Query::station);
  EXPECT_EQ(cfg->uid_by_station.at("utrecht"), 6332);
  EXPECT_EQ(cfg->uid_by_station.at("purple"), -372382);
  EXPECT_TRUE(check_station_uids(*cfg, {station("utrecht")}).ok());
  EXPECT_FALSE(check_station_uids(*cfg, {station("utrecht"), station("delhi")}).ok());
  auto defaults = parse_waqi_config(config::Node(), {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->query, Query::geo);
  EXPECT_EQ(defaults->api_key_env, "WAQI_TOKEN");
  EXPECT_FALSE(parse_waqi_config(*config::load_text("station_uids: [utrecht]\n", "t"), {}).ok());
  EXPECT_FALSE(parse_waqi_config(*config::load_text("query: nearest\n", "t"), {}).ok());
  EXPECT_EQ(waqi_poller_defaults().values.limit_per_minute, 1000);
  EXPECT_EQ(waqi_poller_defaults().values.refresh_floor_secs, 1800);
}

// ---- bad input ----------------------------------------------------------------------------

// A feed around `data_fields` (time and idx given) with status ok.
std::string feed(const std::string& data_fields) {
  return R"({"status": "ok", "data": {"idx": 1, "time": {"iso": "2024-01-01T10:00:00+01:00"}, )" +
         data_fields + "}}";
}

TEST(WaqiProvider, WrongTypesAreRejectsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"("aqi": true, "iaqi": {"pm25": {"v": 12}})", "data.aqi"},
      {R"("aqi": "bad", "iaqi": {"pm25": {"v": 12}})", "data.aqi"},
      {R"("aqi": 20, "iaqi": {"pm25": {"v": "x"}})", "data.iaqi.pm25.v"},
      {R"("aqi": 20, "iaqi": {"t": {"v": [1]}})", "data.iaqi.t.v"},
      {R"("aqi": 20, "iaqi": {"h": {"value": 3}})", "data.iaqi.h.v: missing"},
      {R"("aqi": 20, "iaqi": {"p": 1013})", "data.iaqi.p.v: missing"},
      {R"("aqi": 20, "iaqi": [1, 2])", "data.iaqi: expected an object"},
  };
  for (const auto& [fields, field] : cases) {
    const auto r = parse_body(feed(fields));
    EXPECT_TRUE(has_reject(r, field)) << fields << "\n" << rejects_text(r);
    EXPECT_EQ(r.outcome, Outcome::ok) << fields;
    EXPECT_EQ(r.readings.size(), 1u) << fields;  // the other value is kept
  }
  const auto time =
      parse_body(R"({"status": "ok", "data": {"aqi": 5, "time": {"iso": 5, "s": [], "tz": {}}}})");
  EXPECT_TRUE(has_reject(time, "data.time")) << rejects_text(time);
  EXPECT_TRUE(time.readings.empty());
}

TEST(WaqiProvider, BrokenEnvelopesAreBadPayloadWithReason) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "not valid JSON"},
      {R"({"status": "ok", "data": {"aqi": 4)", "not valid JSON"},
      {"null", "status"},
      {"[1, 2]", "status"},
      {R"({"data": {}})", "status: missing"},
      {R"({"status": 1, "data": {}})", "status: missing or not a string"},
      {R"({"status": "ok"})", "data: missing or not an object"},
      {R"({"status": "ok", "data": [1]})", "data: missing or not an object"},
      {R"({"status": "error", "data": "something new"})", "something new"},
  };
  for (const auto& [body, reason] : cases) {
    const auto r = parse_body(body);
    EXPECT_EQ(r.outcome, Outcome::bad_payload) << body;
    EXPECT_TRUE(has_reject(r, reason)) << body << "\n" << rejects_text(r);
  }
}

TEST(WaqiDiscovery, MalformedListsAreErrors) {
  EXPECT_EQ(parse_search("").error().code(), Errc::source_payload);
  EXPECT_EQ(parse_search(R"({"status": "ok", "data": {}})").error().code(), Errc::source_payload);
  const auto trunc = parse_map_bounds(R"({"status": "ok", "data": [{"uid": 1)");
  ASSERT_FALSE(trunc.ok());
  EXPECT_NE(trunc.error().message().find("waqi map/bounds"), std::string::npos);
  EXPECT_EQ(parse_map_bounds(R"({"status": "error", "data": "Over quota"})").error().code(),
            Errc::source_rate_limited);
}

// The error message of a config that must not parse.
std::string config_error(const std::string& yaml) {
  auto node = config::load_text(yaml, "t.yaml");
  if (!node.ok()) return "yaml: " + node.error().message();
  auto cfg = parse_waqi_config(*node, http::poller_key_names());
  return cfg.ok() ? "<parsed>" : cfg.error().message();
}

TEST(WaqiConfig, EveryBadKeyIsAnErrorNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"query: nearest\n", "query"},
      {"query: [geo]\n", "query"},
      {"station_uids: [utrecht]\n", "station_uids[0]"},
      {"station_uids: [a=@1, utrecht=@]\n", "station_uids[1]"},
      {"station_uids: [=@5]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@abc]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@0]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@12x]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@99999999999999999999]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@-9223372036854775808]\n", "station_uids[0]"},
      {"station_uids: [utrecht=@1, utrecht=@2]\n", "station_uids[1]"},
      {"station_uids: utrecht=@1\n", "station_uids"},
      {"base_url: ftp://api.waqi.info\n", "base_url"},
      {"base_url: \"/\"\n", "base_url"},
      {"api_key_env: {a: 1}\n", "api_key_env"},
      {"token: abc\n", "token"},
      {"42\n", "expected a mapping"},
  };
  for (const auto& [yaml, key] : cases) {
    const std::string m = config_error(yaml);
    EXPECT_NE(m.find(key), std::string::npos) << yaml << " -> " << m;
    EXPECT_NE(m, "<parsed>") << yaml;
  }
  const std::string both = config_error("query: x\nstation_uids: [a]\n");
  EXPECT_NE(both.find("query"), std::string::npos) << both;
  EXPECT_NE(both.find("station_uids[0]"), std::string::npos) << both;
  auto cfg = parse_waqi_config(*config::load_text("query: station\n", "t"), {});
  ASSERT_TRUE(cfg.ok());
  const Status missing = check_station_uids(*cfg, {station("utrecht"), station("delhi")});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("utrecht, delhi"), std::string::npos)
      << missing.error().message();
}

// The factory needs the polling engine (envmon::source_http).
Result<std::unique_ptr<Source>> make_from_yaml(const std::string& yaml, MetricsRegistry& registry,
                                               const Clock& clock) {
  config::SourceSection section;
  section.name = "aq";
  section.type = "waqi";
  section.settings = config::load_text(yaml, "t.yaml").value();
  SourceSpec spec{&section, {station()}};
  return make_waqi_source(spec, ComponentContext("source", "waqi", "aq", registry, clock));
}

TEST(WaqiSource, FactoryNeedsAKeyAndValidatesKeys) {
  MetricsRegistry registry;
  ManualClock clock(Timestamp(Seconds(1700000000)));
  auto none = make_from_yaml("api_key_env: ENVMON_H_PROV1_UNSET_VAR\n", registry, clock);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), Errc::source_auth);
  EXPECT_NE(none.error().message().find("aq: no API key: set the environment variable "
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

TEST(WaqiSource, FactoryErrorsNameTheKey) {
  MetricsRegistry registry;
  ManualClock clock(Timestamp(Seconds(1700000000)));
  auto bad = make_from_yaml("refresh_floor_secs: 99999999\nquery: nearest\n", registry, clock);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("refresh_floor_secs"), std::string::npos)
      << bad.error().message();
  EXPECT_NE(bad.error().message().find("query"), std::string::npos) << bad.error().message();
  auto uids = make_from_yaml("query: station\n", registry, clock);
  ASSERT_FALSE(uids.ok());
  EXPECT_EQ(uids.error().code(), Errc::config_missing_key);
  EXPECT_NE(uids.error().message().find("utrecht"), std::string::npos);
}

TEST(WaqiSource, SchemaDocsListProviderAndPollerKeys) {
  const auto docs = waqi_schema_docs();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].section, "sources[].waqi");
  bool provider_key = false, poller_key = false;
  for (const auto& f : docs[0].fields) {
    if (f.key == "api_key_env") provider_key = true;
    if (f.key == "limit_per_minute") {
      poller_key = true;
      EXPECT_EQ(f.default_value, "1000");
    }
  }
  EXPECT_TRUE(provider_key);
  EXPECT_TRUE(poller_key);
}

}  // namespace
}  // namespace envmon::sources::waqi
