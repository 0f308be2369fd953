#include "tools/fake_providers/fake_providers_cli.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace envmon::fake_providers {
namespace {

TEST(FakeProvidersCli, ParsesEveryFlag) {
  const auto c = parse_cli_args({"--samples",
                                 "/s",
                                 "--port=8089",
                                 "--time-mode",
                                 "now",
                                 "--time-step-secs",
                                 "300",
                                 "--key",
                                 "waqi=abc",
                                 "--onecall-subscribed",
                                 "--latency-ms",
                                 "5",
                                 "--status-429-every",
                                 "10",
                                 "--retry-after-secs",
                                 "7",
                                 "--burst-5xx",
                                 "3",
                                 "--reset-rate",
                                 "0.1",
                                 "--malformed-rate",
                                 "0.2",
                                 "--truncated-rate",
                                 "0.3",
                                 "--slow-drip-ms",
                                 "4",
                                 "--html-rate",
                                 "0.5",
                                 "--threads",
                                 "8",
                                 "--seed",
                                 "9"},
                                nullptr);
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->options.samples_dir, "/s");
  EXPECT_EQ(c->options.port, 8089);
  EXPECT_EQ(c->options.time_mode, TimeMode::now);
  EXPECT_EQ(c->options.time_step_secs, 300);
  EXPECT_EQ(c->options.keys.at("waqi"), "abc");
  EXPECT_TRUE(c->options.onecall_subscribed);
  EXPECT_EQ(c->options.threads, 8);
  EXPECT_EQ(c->faults.latency_ms, 5);
  EXPECT_EQ(c->faults.status_429_every, 10);
  EXPECT_EQ(c->faults.retry_after_secs, 7);
  EXPECT_EQ(c->faults.burst_5xx, 3);
  EXPECT_DOUBLE_EQ(c->faults.reset_rate, 0.1);
  EXPECT_DOUBLE_EQ(c->faults.malformed_rate, 0.2);
  EXPECT_DOUBLE_EQ(c->faults.truncated_rate, 0.3);
  EXPECT_EQ(c->faults.slow_drip_ms, 4);
  EXPECT_DOUBLE_EQ(c->faults.html_rate, 0.5);
  EXPECT_EQ(c->faults.seed, 9u);
}

// The error message for arguments that must be refused.
std::string refusal(const std::vector<std::string>& args, const char* env = nullptr) {
  const auto c = parse_cli_args(args, env);
  EXPECT_FALSE(c.ok());
  if (c.ok()) return "";
  EXPECT_EQ(c.error().code(), Errc::invalid_argument);
  return c.error().message();
}

TEST(FakeProvidersCli, SamplesFromEnvironment) {
  EXPECT_EQ(parse_cli_args({}, "/env")->options.samples_dir, "/env");
  EXPECT_EQ(parse_cli_args({"--samples=/s"}, "/env")->options.samples_dir, "/s");
  EXPECT_TRUE(parse_cli_args({"--help"}, nullptr)->help);
}

TEST(FakeProvidersCli, RefusesBadArgumentsWithTheReason) {
  EXPECT_EQ(refusal({}), "--samples: required (or set ENVMON_API_SAMPLES)");
  EXPECT_EQ(refusal({"--samples", "/s", "--bogus", "1"}), "--bogus: unknown flag");
  EXPECT_EQ(refusal({"--samples", "/s", "--bogus=1"}), "--bogus: unknown flag");
  EXPECT_EQ(refusal({"--samples", "/s", "/stray"}), "/stray: unknown flag");
  EXPECT_EQ(refusal({"--samples", "/s", "--port"}), "--port: needs a value");
  EXPECT_EQ(refusal({"--samples", "/s", "--onecall-subscribed=yes"}),
            "--onecall-subscribed: takes no value");
  EXPECT_EQ(refusal({"--samples", "/s", "--port", "http"}),
            "--port: expected an integer in [0, 65535], got 'http'");
  EXPECT_EQ(refusal({"--samples", "/s", "--port", "70000"}),
            "--port: expected an integer in [0, 65535], got '70000'");
  EXPECT_NE(refusal({"--samples", "/s", "--threads", "0"}).find("--threads: expected"),
            std::string::npos);
  EXPECT_NE(refusal({"--samples", "/s", "--time-step-secs", "-5"}).find("--time-step-secs"),
            std::string::npos);
  EXPECT_EQ(refusal({"--samples", "/s", "--time-mode", "later"}),
            "--time-mode: expected verbatim or now, got 'later'");
  EXPECT_NE(refusal({"--samples", "/s", "--key", "nobody=x"}).find("--key: expected"),
            std::string::npos);
  EXPECT_NE(refusal({"--samples", "/s", "--key", "waqi"}).find("--key: expected"),
            std::string::npos);
  EXPECT_EQ(refusal({"--samples", "/s", "--reset-rate", "2"}),
            "--reset-rate: expected a rate in [0, 1], got '2'");
  EXPECT_EQ(refusal({"--samples", "/s", "--html-rate", "lots"}),
            "--html-rate: expected a rate in [0, 1], got 'lots'");
  EXPECT_EQ(refusal({"--samples", "/s", "--latency-ms", "-1"}),
            "--latency-ms: expected an integer >= 0, got '-1'");
  EXPECT_EQ(refusal({"--samples", "/s", "--burst-5xx", "1.5"}),
            "--burst-5xx: expected an integer >= 0, got '1.5'");
  EXPECT_EQ(refusal({"--samples", "/s", "--seed", "12abc"}),
            "--seed: expected an integer >= 0, got '12abc'");
}

}  // namespace
}  // namespace envmon::fake_providers
