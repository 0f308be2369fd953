#include "tools/fake_providers/fake_providers_cli.h"

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

TEST(FakeProvidersCli, SamplesFromEnvironmentAndErrors) {
  EXPECT_EQ(parse_cli_args({}, "/env")->options.samples_dir, "/env");
  EXPECT_FALSE(parse_cli_args({}, nullptr).ok());
  EXPECT_FALSE(parse_cli_args({"--samples", "/s", "--bogus", "1"}, nullptr).ok());
  EXPECT_FALSE(parse_cli_args({"--samples", "/s", "--reset-rate", "2"}, nullptr).ok());
  EXPECT_FALSE(parse_cli_args({"--samples", "/s", "--key", "nobody=x"}, nullptr).ok());
  EXPECT_FALSE(parse_cli_args({"--samples", "/s", "--port"}, nullptr).ok());
  EXPECT_TRUE(parse_cli_args({"--help"}, nullptr)->help);
}

}  // namespace
}  // namespace envmon::fake_providers
