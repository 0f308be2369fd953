#include "tools/fake_providers/body_template.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tools/fake_providers/test_support.h"

namespace envmon::fake_providers {
namespace {

using test_support::kShared;
using test_support::kTestdata;
using test_support::slurp;

BodyTemplate must_parse(const std::string& text) {
  auto t = BodyTemplate::parse(text);
  EXPECT_TRUE(t.ok());
  return t.ok() ? std::move(t).value() : BodyTemplate::verbatim(text);
}

TEST(BodyTemplate, ParsesEveryDateTimeForm) {
  auto d = parse_datetime("2023-10-25");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->form, DateForm::date);
  EXPECT_EQ(d->wall_secs, 1698192000);
  auto m = parse_datetime("2023-10-25T01:30");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->form, DateForm::minutes);
  EXPECT_EQ(m->wall_secs, 1698192000 + 5400);
  auto s = parse_datetime("2023-08-07T17:00:00+02:00");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->form, DateForm::seconds);
  EXPECT_EQ(s->length, 19u);
  EXPECT_EQ(s->offset_secs, 7200);
  auto z = parse_datetime("2023-08-20T19:20:22Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->offset_secs, 0);
  auto sp = parse_datetime("2023-08-07 17:00:00");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->form, DateForm::space_seconds);
  EXPECT_FALSE(parse_datetime("iso8601"));
  EXPECT_FALSE(parse_datetime("2023-10-25 extra"));
  EXPECT_FALSE(parse_datetime("2023-13-01"));
}

TEST(BodyTemplate, FormatsBackTheSameShape) {
  for (const char* text : {"2023-10-25", "2023-10-25T01:30", "2023-10-25T01:30:59",
                           "2023-10-25 23:59:00", "1969-12-31T23:00"}) {
    const auto d = parse_datetime(text);
    ASSERT_TRUE(d) << text;
    std::string out;
    append_datetime(out, d->wall_secs, d->form);
    EXPECT_EQ(out, text);
  }
}

TEST(BodyTemplate, RenderWithoutChangesIsTheSampleItself) {
  for (const char* f :
       {"openweathermap/current_zocca_standard_units.json", "aqicn/feed_geo_utrecht_ok.json",
        "open-meteo/forecast_hourly_temperature_brasilia.json"}) {
    const std::string text = slurp(kTestdata + "/" + f);
    EXPECT_EQ(must_parse(text).render({}), text) << f;
  }
}

TEST(BodyTemplate, OwmEpochFieldsShiftAndCoordinatesFollowTheRequest) {
  const BodyTemplate t =
      must_parse(slurp(kTestdata + "/openweathermap/current_zocca_standard_units.json"));
  EXPECT_EQ(t.main_instant(), 1700000000);
  EXPECT_FALSE(t.main_is_series());
  const std::string out = t.render(RenderParams{600, "1.5", "-2.25", ""});
  EXPECT_NE(out.find("\"dt\": 1700000600"), std::string::npos) << out;
  EXPECT_NE(out.find("\"sunrise\": 1699942200"), std::string::npos);
  EXPECT_NE(out.find("\"lon\": -2.25, \"lat\": 1.5"), std::string::npos);
  EXPECT_NE(out.find("\"timezone\": 3600"), std::string::npos);  // not a timestamp
}

TEST(BodyTemplate, WaqiMainTimeIsTheIsoInstantAndEveryFormShifts) {
  const BodyTemplate t = must_parse(slurp(kTestdata + "/aqicn/feed_geo_utrecht_ok.json"));
  EXPECT_EQ(t.main_instant(), 1710072000);  // 13:00+01:00
  const std::string out = t.render(RenderParams{86400 + 3600, "", "", "777"});
  EXPECT_NE(out.find("\"s\":\"2024-03-11 14:00:00\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"iso\":\"2024-03-11T14:00:00+01:00\""), std::string::npos);
  EXPECT_NE(out.find("\"v\":1710165600"), std::string::npos);
  EXPECT_NE(out.find("\"day\":\"2024-03-11\""), std::string::npos);
  EXPECT_NE(out.find("\"idx\":777"), std::string::npos);
  EXPECT_NE(out.find("\"geo\":[52.25,5.125]"), std::string::npos);
  EXPECT_NE(out.find("{\"v\":31}"), std::string::npos);  // readings are not timestamps
}

TEST(BodyTemplate, OpenMeteoSeriesUseTheBodyUtcOffset) {
  const BodyTemplate t =
      must_parse(slurp(kTestdata + "/open-meteo/forecast_hourly_temperature_brasilia.json"));
  EXPECT_TRUE(t.main_is_series());
  EXPECT_EQ(t.utc_offset_secs(), -10800);
  EXPECT_EQ(t.main_instant(), 1698192000 + 10800);  // 00:00 at -03:00
}

TEST(BodyTemplate, RejectsUnbalancedText) {
  EXPECT_FALSE(BodyTemplate::parse("{\"a\": [1, 2}").ok());
  EXPECT_FALSE(BodyTemplate::parse("{\"a\": \"open").ok());
}

TEST(BodyTemplate, EverySharedSampleRendersAsValidJson) {
  if (!std::filesystem::is_directory(kShared)) GTEST_SKIP() << "no shared samples at " << kShared;
  simdjson::dom::parser parser;
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kShared)) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = slurp(entry.path().string());
    const BodyTemplate t = must_parse(text);
    EXPECT_EQ(t.render({}), text) << entry.path();
    const std::string shifted = t.render(RenderParams{123456789, "1.25", "-2.5", "42"});
    EXPECT_FALSE(parser.parse(shifted).error()) << entry.path();
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace envmon::fake_providers
