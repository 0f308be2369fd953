#include <gtest/gtest.h>

#include "analytics/anomaly_codec.h"

namespace envmon::analytics {
namespace {

store::AnomalyRecord sample() {
  return store::AnomalyRecord{"delhi", Metric::pm25, from_unix_ms(1767225600000), "robust_zscore",
                              6.5, 812, R"({"z":6.5,"related_metrics":{"pm10":3.1}})"};
}

TEST(AnomalyCodecTest, RoundTrips) {
  const std::string json = encode_anomaly(sample());
  EXPECT_NE(json.find(R"("at":"2026-01-01T00:00:00Z")"), std::string::npos);
  auto back = decode_anomaly(json);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->station, "delhi");
  EXPECT_EQ(back->metric, Metric::pm25);
  EXPECT_EQ(back->at, sample().at);
  EXPECT_EQ(back->detector, "robust_zscore");
  EXPECT_DOUBLE_EQ(back->score, 6.5);
  EXPECT_DOUBLE_EQ(back->value, 812);
  EXPECT_EQ(back->explanation_json, R"({"related_metrics":{"pm10":3.1},"z":6.5})");
}

// Each malformed message is refused with the field it is about.
TEST(AnomalyCodecTest, MalformedMessagesNameTheField) {
  const std::string good = encode_anomaly(sample());
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    auto r = decode_anomaly(s);
    return r.ok() ? std::string("ok") : r.error().message();
  };
  EXPECT_EQ(decode_anomaly("{oops").error().code(), Errc::decode_syntax);
  EXPECT_EQ(decode_anomaly("[1]").error().code(), Errc::decode_syntax);
  EXPECT_EQ(with(R"("v":1)", R"("v":2)"), "anomaly: v: unsupported schema version 2");
  EXPECT_EQ(with(R"("metric":"pm25")", R"("metric":"pm26")"), "anomaly: metric: unknown metric 'pm26'");
  EXPECT_NE(with(R"("at":"2026-01-01T00:00:00Z")", R"("at":"yesterday")").find("anomaly: at:"),
            std::string::npos);
  EXPECT_EQ(with(R"("score":6.5)", R"("score":"high")"), "anomaly: score: expected a number");
  EXPECT_EQ(with(R"("station":"delhi")", R"("station":"")"), "anomaly: station: empty");
  EXPECT_EQ(with(R"("station":"delhi")", R"("town":"delhi")"), "anomaly: town: unknown field");
  EXPECT_EQ(decode_anomaly(R"({"v":1,"station":"d","metric":"pm25","at":"2026-01-01T00:00:00Z",)"
                           R"("detector":"x","score":1,"value":1,"explanation":[]})")
                .error()
                .message(),
            "anomaly: explanation: expected an object");
}

}  // namespace
}  // namespace envmon::analytics
