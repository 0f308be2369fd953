#include "tools/fake_providers/control_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace envmon::fake_providers {
namespace {

bool is_json(const std::string& text) {
  simdjson::dom::parser parser;
  return !parser.parse(text).error();
}

// The error message for a body that must be refused.
std::string refusal(std::string_view body) {
  const auto f = faults_from_json(body);
  EXPECT_FALSE(f.ok()) << body;
  if (f.ok()) return "";
  EXPECT_EQ(f.error().code(), Errc::invalid_argument) << body;
  return f.error().message();
}

TEST(ControlJson, ReadsEveryFaultFieldAndWritesThemBack) {
  const auto f = faults_from_json(
      R"({"latency_ms":5,"status_429_every":3,"retry_after_secs":7,"burst_5xx":2,)"
      R"("reset_rate":0.25,"malformed_rate":0,"truncated_rate":1,"slow_drip_ms":4,)"
      R"("html_rate":0.5,"seed":18446744073709551615})");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->latency_ms, 5);
  EXPECT_EQ(f->status_429_every, 3);
  EXPECT_DOUBLE_EQ(f->reset_rate, 0.25);
  EXPECT_DOUBLE_EQ(f->truncated_rate, 1);
  EXPECT_EQ(f->seed, 18446744073709551615u);
  const std::string back = faults_to_json(*f);
  EXPECT_TRUE(is_json(back)) << back;
  const auto again = faults_from_json(back);
  ASSERT_TRUE(again.ok()) << back;
  EXPECT_EQ(faults_to_json(*again), back);
  EXPECT_EQ(faults_from_json("{}")->latency_ms, 0);  // left out = default
}

TEST(ControlJson, RefusesMalformedBodiesWithTheReason) {
  EXPECT_NE(refusal("").find("not JSON"), std::string::npos);
  EXPECT_NE(refusal("{\"latency_ms\": ").find("not JSON"), std::string::npos);
  EXPECT_NE(refusal("[1, 2]").find("must be an object"), std::string::npos);
  const std::string unknown = refusal(R"({"latency":1})");
  EXPECT_NE(unknown.find("unknown fault field 'latency'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("latency_ms"), std::string::npos) << "lists the valid fields";
  EXPECT_NE(refusal(R"({"latency_ms":"5"})").find("latency_ms: expected a number"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"latency_ms":1.5})").find("latency_ms: expected an integer >= 0"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"burst_5xx":-1})").find("burst_5xx: expected an integer >= 0"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"reset_rate":1.5})").find("reset_rate: expected a rate in [0, 1]"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"html_rate":null})").find("html_rate: expected a number"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"seed":-3})").find("seed: expected an integer >= 0"), std::string::npos);
}

TEST(ControlJson, EscapesTextThatCameFromRequests) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, R"("a\"b\\c\u000ad\u0001")");
  EXPECT_EQ(json_error("bad \"x\""), R"({"error":"bad \"x\""})");
  Stats stats;
  stats.providers["openweathermap"].station_observations["zip:\"}{"] = {1, 2};
  stats.providers["openweathermap"].by_status[200] = 3;
  const std::string json = stats_to_json(stats, true);
  EXPECT_TRUE(is_json(json)) << json;
  EXPECT_NE(json.find(R"("by_status":{"200":3})"), std::string::npos) << json;
  EXPECT_EQ(stats_to_json(stats, false).find("station_observations"), std::string::npos);
}

}  // namespace
}  // namespace envmon::fake_providers
