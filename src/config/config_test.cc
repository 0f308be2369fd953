#include <cstdlib>

#include <gtest/gtest.h>

#include "config/app_config.h"

namespace envmon::config {
namespace {

const KnownTypes kKnown{{"simulator", "openmeteo"},
                        {"memory", "kafka"},
                        {"sqlite", "postgres"},
                        {"file", "s3"},
                        {"memory", "redis"},
                        {"file"}};

Result<AppConfig> parse(const std::string& text) {
  auto node = load_text(text, "test.yaml");
  if (!node.ok()) return node.error();
  return parse_app_config(*node, kKnown);
}

const char* kStations =
    "stations:\n"
    "  - {id: a, name: A, lat: 1, lon: 2, timezone: Asia/Kolkata}\n";

TEST(ConfigTest, EmbeddedDefaultParses) {
  auto node = load_text(embedded_default_config(), "default.yaml");
  ASSERT_TRUE(node.ok()) << node.error().message();
  auto cfg = parse_app_config(*node, kKnown);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_GE(cfg->stations.size(), 12u);
  for (const char* id : {"delhi", "mumbai", "bengaluru"})
    EXPECT_NE(cfg->find_station(id), nullptr);
  EXPECT_EQ(cfg->store.type, "sqlite");
  ASSERT_EQ(cfg->sources.size(), 1u);
  EXPECT_EQ(cfg->sources[0].settings.child("seed").scalar().value_or(""), "42");
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndValidKeys) {
  auto cfg = parse(std::string(kStations) +
                   "sources:\n  - name: s\n    type: simulator\n    poll_intervall_secs: 60\n");
  ASSERT_FALSE(cfg.ok());
  const std::string& msg = cfg.error().message();
  EXPECT_NE(msg.find("test.yaml:6: sources[0].poll_intervall_secs: unknown key; valid keys: name, "
                     "type, poll_interval_secs"),
            std::string::npos)
      << msg;
}

TEST(ConfigTest, BadValuesAreErrorsWithRangeAndChoices) {
  auto cfg = parse(std::string(kStations) +
                   "sources:\n  - {name: s, type: simulator, poll_interval_secs: 0}\n"
                   "store: {type: mysql}\n");
  ASSERT_FALSE(cfg.ok());
  const std::string& msg = cfg.error().message();
  EXPECT_NE(msg.find("poll_interval_secs: value 0 out of range [1, 86400] s"), std::string::npos)
      << msg;
  EXPECT_NE(
      msg.find("test.yaml:5: store.type: unknown store type; valid choices: sqlite, postgres"),
      std::string::npos)
      << msg;
}

TEST(ConfigTest, LargeBoundsReadAsWritten) {
  auto cfg =
      parse(std::string(kStations) +
            "sources:\n  - {name: s, type: simulator, allowed_lateness_secs: 99999999999}\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("value 99999999999 out of range [0, 604800] s"),
            std::string::npos)
      << cfg.error().message();
}

TEST(ConfigTest, RawLakeRetentionIsAnEnum) {
  auto ok = parse(std::string(kStations) +
                  "sources:\n  - {name: s, type: simulator, raw_lake_retention: none}\n");
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->sources[0].raw_lake_retention, RawLakeRetention::none);
  auto bad = parse(std::string(kStations) +
                   "sources:\n  - {name: s, type: simulator, raw_lake_retention: forever}\n");
  ASSERT_FALSE(bad.ok());
  const std::string& msg = bad.error().message();
  EXPECT_NE(msg.find("test.yaml:4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("raw_lake_retention"), std::string::npos) << msg;
  EXPECT_NE(msg.find("provider_default, keep, none"), std::string::npos) << msg;
}

TEST(ConfigTest, StationChecks) {
  auto cfg = parse(
      "stations:\n"
      "  - {id: a, name: A, lat: 1, lon: 2, timezone: Asia/Kolkata}\n"
      "  - {id: a, name: B, lat: 1, lon: 2, timezone: Asia/Kolkata}\n"
      "  - {id: f, name: B, lat: 91, lon: 2, timezone: Asia/Kolkata}\n"
      "  - {id: e, name: B, lat: 1, lon: 2, timezone: Mars/Olympus}\n"
      "  - {id: Bad Id, name: C, lat: 1, lon: 2, timezone: UTC}\n"
      "  - {id: d, lat: 1, lon: 2, timezone: UTC}\n");
  ASSERT_FALSE(cfg.ok());
  const std::string& msg = cfg.error().message();
  EXPECT_NE(msg.find("stations[2].lat: value 91 out of range"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duplicate station id 'a'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown time zone 'Mars/Olympus'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'Bad Id' is not a valid id"), std::string::npos) << msg;
  EXPECT_NE(msg.find("test.yaml:7: stations[5].name: required key is missing"), std::string::npos)
      << msg;
}

TEST(ConfigTest, EnvironmentSubstitution) {
  ::setenv("ENVMON_TEST_DIR", "/tmp/x", 1);
  auto cfg =
      parse(std::string("data_dir: ${ENVMON_TEST_DIR}\nlog_level: ${ENVMON_UNSET_VAR:-warn}\n") +
            kStations);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  EXPECT_EQ(cfg->data_dir, "/tmp/x");
  EXPECT_EQ(cfg->log_level, "warn");
  auto missing = parse(std::string(kStations) + "data_dir: ${ENVMON_SURELY_UNSET}\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find(
                "test.yaml:3: environment variable ENVMON_SURELY_UNSET is not set"),
            std::string::npos)
      << missing.error().message();
}

TEST(ConfigTest, MalformedYamlNamesLine) {
  auto cfg = parse("stations:\n  - {id: a, name: [unclosed\n");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("test.yaml:"), std::string::npos) << cfg.error().message();
}

}  // namespace
}  // namespace envmon::config

namespace envmon::config {
namespace {

TEST(AppConfigTest, RegistryRoleAndAnalyticsSection) {
  auto ok = parse(std::string(kStations) +
                  "registry: {type: file, file: {path: models}}\nanalytics: {mode: off}\n");
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->registry.type, "file");
  EXPECT_TRUE(ok->registry.settings.defined());
  EXPECT_TRUE(ok->analytics.defined());
  auto bad = parse(std::string(kStations) + "registry: {type: mlflow}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("unknown registry type; valid choices: file"),
            std::string::npos);
}

}  // namespace
}  // namespace envmon::config
