// Open-Meteo's providers (live and archive), its config and its factory; the parser's tests are
// in openmeteo_test.cc.
#include "sources/openmeteo/openmeteo_provider.h"

#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "config/node.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "sources/http/provider_test_support.h"
#include "sources/openmeteo/openmeteo_archive.h"
#include "sources/openmeteo/openmeteo_config.h"
#include "sources/openmeteo/openmeteo_source.h"

namespace envmon::sources::openmeteo {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

const std::string kOwn = ENVMON_SOURCE_DIR "/src/sources/openmeteo/testdata";
const Timestamp kNow = http::testing::rfc3339_at("2025-01-01T00:00:00Z");

Timestamp at(std::string_view rfc3339) {
  return http::testing::rfc3339_at(rfc3339);
}

config::StationConfig station() {
  return http::testing::make_station("st1", "Station One", 52.52, 13.41);
}

net::HttpResponse fixture_response(const std::string& name) {
  return http::testing::make_response(200, http::testing::read_fixture(kOwn + "/" + name));
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
  const auto r = p.parse(task, station(), fixture_response("forecast_current_gmt.json"), kNow);
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
  const auto r =
      p->parse(tasks[0], station(), fixture_response("hourly_negative_offset_nulls.json"),
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

std::string config_error(const std::string& yaml) {
  const auto cfg = parse_yaml("openmeteo:\n" + yaml);
  return cfg.ok() ? "<parsed>" : cfg.error().message();
}

TEST(OpenMeteoConfig, EveryBadKeyIsAnErrorNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"  endpoints: [archive]\n", "endpoints[0]"},
      {"  endpoints: [forecast, 5]\n", "endpoints[1]"},
      {"  endpoints: forecast\n", "endpoints"},
      {"  archive_chunk_days: 0\n", "archive_chunk_days"},
      {"  archive_chunk_days: 93\n", "archive_chunk_days"},
      {"  archive_chunk_days: two\n", "archive_chunk_days"},
      {"  archive_chunk_days: 1.5\n", "archive_chunk_days"},
      {"  forecast_base_url: ftp://x\n", "forecast_base_url"},
      {"  air_quality_base_url: \"\"\n", "air_quality_base_url"},
      {"  archive_base_url: \"https://\"\n", "archive_base_url"},
      {"  archive_base_url: archive-api.open-meteo.com\n", "archive_base_url"},
      {"  api_key_env: [A]\n", "api_key_env"},
      {"  apikey: abc\n", "apikey"},
      {"  [1]\n", "expected a mapping"},
  };
  for (const auto& [yaml, key] : cases) {
    const std::string m = config_error(yaml);
    EXPECT_NE(m.find(key), std::string::npos) << yaml << " -> " << m;
    EXPECT_NE(m, "<parsed>") << yaml;
  }
}

// ---- factory -------------------------------------------------------------------------------

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

TEST(OpenMeteoSource, FactoryErrorsNameEveryKeyOnce) {
  const auto bad = make_from("limit_per_day: -1\nendpoints: [x]\ncolour: blue\n");
  ASSERT_FALSE(bad.ok());
  const std::string m = bad.error().message();
  EXPECT_NE(m.find("limit_per_day"), std::string::npos) << m;
  EXPECT_NE(m.find("endpoints[0]"), std::string::npos) << m;
  EXPECT_EQ(m.find("colour"), m.rfind("colour")) << m;  // one unknown-key error, not two
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
  const auto free_tier = parse_openmeteo_block(node);
  ASSERT_TRUE(free_tier.ok()) << free_tier.error().message();
  EXPECT_TRUE(free_tier->config.api_key.empty());
  ::setenv("ENVMON_OM_TEST_KEY", "k123", 1);
  const auto paid = parse_openmeteo_block(node);
  ::unsetenv("ENVMON_OM_TEST_KEY");
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->config.api_key, "k123");
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

}  // namespace
}  // namespace envmon::sources::openmeteo
