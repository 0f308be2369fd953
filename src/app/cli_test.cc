#include "app/cli.h"

#include <gtest/gtest.h>

#include "app/components.h"
#include "app/runtime.h"

namespace envmon::app {
namespace {

TEST(CliTest, ParsesFlagsBothWays) {
  auto a =
      parse_args({"--port", "9090", "--speed=600", "--json", "pos"}, {"port", "speed"}, {"json"});
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_EQ(a->get("port"), "9090");
  EXPECT_EQ(*a->number("speed", 1, 0, 1e6), 600);
  EXPECT_TRUE(a->has("json"));
  EXPECT_EQ(a->positional, std::vector<std::string>{"pos"});
}

TEST(CliTest, RejectsUnknownAndMalformedFlags) {
  auto a = parse_args({"--prot", "1"}, {"port"}, {});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message().find("unknown option --prot; valid options: --port VALUE"),
            std::string::npos);
  EXPECT_FALSE(parse_args({"--port"}, {"port"}, {}).ok());
  auto b = parse_args({"--speed", "fast"}, {"speed"}, {});
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->number("speed", 1, 0, 10).ok());
  EXPECT_FALSE(parse_args({"--speed", "100"}, {"speed"}, {})->number("speed", 1, 0, 10).ok());
}

TEST(RolesTest, ParsesSubsetsAndNamesTheValidRoles) {
  auto r = Roles::parse("processor,sinks");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has(Role::processor) && r->has(Role::sinks));
  EXPECT_FALSE(r->has(Role::sources) || r->has(Role::api));
  EXPECT_EQ(r->to_string(), "processor,sinks");
  EXPECT_EQ(Roles::all().to_string(), "sources,processor,sinks,api");
  auto bad = Roles::parse("processor,ingest");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(
      bad.error().message().find("unknown role 'ingest' (valid: sources, processor, sinks, api)"),
      std::string::npos);
  EXPECT_FALSE(Roles::parse("").ok());
}

TEST(ComponentsTest, DefaultConfigValidatesAndSchemaCoversEverySection) {
  auto node = config::load_text(config::embedded_default_config(), "default.yaml");
  ASSERT_TRUE(node.ok());
  auto app = config::parse_app_config(*node, known_types());
  ASSERT_TRUE(app.ok()) << app.error().message();
  Status s = validate_components(*app);
  EXPECT_TRUE(s.ok()) << s.error().message();
  std::vector<std::string> sections;
  for (const auto& d : all_schema_docs())
    sections.push_back(d.section);
  for (const char* want :
       {"stations[]", "sources[]", "bus.memory", "processor", "api", "train.anomaly",
        "eval.anomaly.cad_ose", "eval.anomaly.autoencoder"}) {
    EXPECT_NE(std::find(sections.begin(), sections.end(), want), sections.end()) << want;
  }
}

TEST(ComponentsTest, ComponentBlockErrorsNameFileLineAndKey) {
  auto node = config::load_text(
      "stations:\n  - {id: a, name: A, lat: 1, lon: 2, timezone: UTC}\n"
      "sources:\n  - name: s\n    type: simulator\n    simulator: {sede: 4}\n"
      "store: {type: sqlite, sqlite: {pth: x.db}}\n",
      "bad.yaml");
  ASSERT_TRUE(node.ok());
  auto app = config::parse_app_config(*node, known_types());
  ASSERT_TRUE(app.ok()) << app.error().message();
  Status s = validate_components(*app);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("bad.yaml:6: sources[0].simulator.sede: unknown key"),
            std::string::npos)
      << s.error().message();
  EXPECT_NE(s.error().message().find("bad.yaml:7: store.sqlite.pth: unknown key"),
            std::string::npos)
      << s.error().message();
}

}  // namespace
}  // namespace envmon::app
