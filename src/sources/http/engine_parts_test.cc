// Pure logic of the engine (quotas, planning, backoff, circuit, config) on simulated time.
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "sources/http/backoff.h"
#include "sources/http/circuit_breaker.h"
#include "sources/http/fetch_planner.h"
#include "sources/http/poller_config.h"
#include "sources/http/rate_limiter.h"

namespace envmon::sources::http {
namespace {

const Timestamp kStart = from_unix_ms(1'780'000'000'000);

// The most calls any half-open window [t, t + w) holds (the worst window starts at a call).
size_t max_in_window(const std::vector<Timestamp>& calls, Millis w) {
  size_t best = 0;
  size_t lo = 0;
  for (size_t hi = 0; hi < calls.size(); ++hi) {
    while (calls[hi] >= calls[lo] + w)
      ++lo;
    best = std::max(best, hi - lo + 1);
  }
  return best;
}

TEST(RateLimiter, NoSlidingWindowEverExceedsItsLimit) {
  for (double burst : {0.0, 0.1, 0.5, 1.0}) {
    ManualClock clock(kStart);
    RateLimiter limiter;
    limiter.add(QuotaWindow::minute, 10, burst, clock.now());
    limiter.add(QuotaWindow::hour, 120, burst, clock.now());
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int64_t> step(0, 4000);
    std::vector<Timestamp> calls;
    for (int i = 0; i < 200'000; ++i) {  // about 4.6 simulated days
      clock.advance(Millis(step(rng)));
      if (limiter.try_acquire(clock.now(), 1.0)) calls.push_back(clock.now());
    }
    EXPECT_LE(max_in_window(calls, Millis(60'000)), 10U) << "burst " << burst;
    EXPECT_LE(max_in_window(calls, Millis(3'600'000)), 120U) << "burst " << burst;
    // Not starved either: the sustained rate is the refill, L - C per window.
    const double hours = static_cast<double>((clock.now() - kStart).count()) / 3'600'000.0;
    const double capacity = std::min(119.0, std::max(1.0, std::floor(burst * 120)));
    EXPECT_GT(static_cast<double>(calls.size()), 0.9 * (120 - capacity) * hours)
        << "burst " << burst;
  }
}

TEST(RateLimiter, LimitOfOneRefillsOncePerWindow) {
  ManualClock clock(kStart);
  RateLimiter limiter;
  limiter.add(QuotaWindow::minute, 1, 0.1, clock.now());
  EXPECT_TRUE(limiter.try_acquire(clock.now(), 1));
  EXPECT_FALSE(limiter.try_acquire(clock.now() + Millis(59'000), 1));
  EXPECT_GE(limiter.next_available(clock.now(), 1), clock.now() + Millis(60'000));
  EXPECT_TRUE(limiter.try_acquire(clock.now() + Millis(60'001), 1));
}

TEST(RateLimiter, NextAvailableIsWhenTryAcquireSucceeds) {
  RateLimiter limiter;
  limiter.add(QuotaWindow::day, 1000, 0.1, kStart);
  int taken = 0;
  while (limiter.try_acquire(kStart, 1))
    ++taken;
  EXPECT_EQ(taken, 100);
  const Timestamp at = limiter.next_available(kStart, 1);
  EXPECT_GT(at, kStart);
  EXPECT_FALSE(limiter.try_acquire(at - Millis(2), 1));
  EXPECT_TRUE(limiter.try_acquire(at, 1));
}

std::vector<FetchTask> tasks(size_t n, const std::string& group = "") {
  std::vector<FetchTask> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(FetchTask{i, "weather", Seconds(600), 1.0, group});
  return out;
}

TEST(FetchPlanner, KeepsConfiguredIntervalWithinQuota) {
  PollerConfig c;
  c.limit_per_day = 1000;
  const auto plans = plan_intervals(tasks(2), c, 300, {});
  EXPECT_EQ(plans[0].effective, Millis(600'000));
  EXPECT_EQ(plans[0].configured, plans[0].effective);
  EXPECT_TRUE(plans[0].limited_by.empty());
}

TEST(FetchPlanner, StretchesIntervalsSoTheDayQuotaLasts) {
  PollerConfig c;
  c.limit_per_day = 1000;
  c.budget_fraction = 0.9;
  const auto plans = plan_intervals(tasks(100), c, 300, {});
  // 100 calls per round; 900 scheduled calls a day -> one round every 9.6 s * 1000.
  EXPECT_EQ(plans[0].effective, Millis(9'600'000));
  EXPECT_EQ(plans[0].limited_by, "provider/day");
  const double rounds_per_day = 86'400'000.0 / static_cast<double>(plans[0].effective.count());
  EXPECT_LE(rounds_per_day * 100, 900.0 + 1e-6);
}

TEST(FetchPlanner, GroupQuotaOnlyStretchesItsGroup) {
  PollerConfig c;
  auto all = tasks(10);
  for (auto t : tasks(10, "onecall"))
    all.push_back(t);
  const auto plans = plan_intervals(all, c, 300, {QuotaSpec{"onecall", QuotaWindow::day, 100}});
  EXPECT_EQ(plans[0].effective, Millis(600'000));
  EXPECT_EQ(plans[10].effective, Millis(9'600'000));
  EXPECT_EQ(plans[10].limited_by, "onecall/day");
}

TEST(FetchPlanner, PhasesSpreadOverAMinuteAndJitterStaysInBounds) {
  EXPECT_EQ(initial_phase(0, 4, Millis(600'000)), Millis(0));
  EXPECT_EQ(initial_phase(2, 4, Millis(600'000)), Millis(30'000));
  EXPECT_EQ(initial_phase(1, 2, Millis(10'000)), Millis(5'000));
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) {
    const Millis j = jittered(Millis(100'000), 0.1, rng);
    EXPECT_GE(j, Millis(90'000));
    EXPECT_LE(j, Millis(110'000));
  }
}

TEST(Backoff, FullJitterStaysUnderTheCappedCeiling) {
  Backoff b(Millis(1000), Millis(300'000), 42);
  EXPECT_EQ(b.ceiling(0), Millis(1000));
  EXPECT_EQ(b.ceiling(3), Millis(8000));
  EXPECT_EQ(b.ceiling(30), Millis(300'000));
  EXPECT_EQ(b.ceiling(1000), Millis(300'000));
  bool saw_low = false;
  bool saw_high = false;
  for (int i = 0; i < 1000; ++i) {
    const Millis d = b.delay(4);
    EXPECT_GE(d, Millis(0));
    EXPECT_LE(d, Millis(16'000));
    saw_low = saw_low || d < Millis(4000);
    saw_high = saw_high || d > Millis(12'000);
  }
  EXPECT_TRUE(saw_low && saw_high);
}

TEST(CircuitBreaker, OpensHalfOpensWithOneProbeAndCloses) {
  ManualClock clock(kStart);
  CircuitBreaker cb(3, Seconds(60));
  EXPECT_TRUE(cb.allow(clock.now()));
  EXPECT_FALSE(cb.on_failure(clock.now()));
  EXPECT_FALSE(cb.on_failure(clock.now()));
  EXPECT_TRUE(cb.on_failure(clock.now()));
  EXPECT_EQ(cb.state(), CircuitState::open);
  EXPECT_FALSE(cb.allow(clock.now() + Seconds(59)));
  clock.advance(Seconds(60));
  EXPECT_TRUE(cb.allow(clock.now()));  // the probe
  EXPECT_EQ(cb.state(), CircuitState::half_open);
  EXPECT_FALSE(cb.allow(clock.now()));      // exactly one
  EXPECT_TRUE(cb.on_failure(clock.now()));  // probe failed: open again
  EXPECT_EQ(cb.state(), CircuitState::open);
  clock.advance(Seconds(60));
  EXPECT_TRUE(cb.allow(clock.now()));
  EXPECT_TRUE(cb.on_success());
  EXPECT_EQ(cb.state(), CircuitState::closed);
  EXPECT_TRUE(cb.allow(clock.now()));
  EXPECT_TRUE(cb.allow(clock.now()));
}

TEST(PollerConfig, SchemaKeysAreTheMemberNames) {
  const auto names = poller_key_names();
  EXPECT_EQ(names.size(), 20U);
  EXPECT_NE(std::find(names.begin(), names.end(), "refresh_floor_secs"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "limit_per_month"), names.end());
  for (const auto& spec : poller_schema(PollerDefaults{}).specs())
    EXPECT_FALSE(spec.description.empty());
}

TEST(PollerConfig, FillsEngineKeysAndPassesProviderKeys) {
  auto node =
      config::load_text("limit_per_day: 500\nrefresh_floor_secs: 60\napi_key_env: K\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  PollerDefaults d;
  d.values.limit_per_minute = 60;
  PollerConfig out;
  ASSERT_TRUE(fill_poller_config(*node, d, {"api_key_env"}, out).ok());
  EXPECT_EQ(out.limit_per_day, 500);
  EXPECT_EQ(out.limit_per_minute, 60);
  EXPECT_EQ(out.refresh_floor_secs, 60);
  auto bad = config::load_text("limit_per_dya: 5\n", "t.yaml");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(fill_poller_config(*bad, d, {}, out).ok());
}

TEST(PollerConfig, ResolveSecretNeverEchoesTheValue) {
  ::setenv("ENVMON_TEST_SECRET", "hunter2", 1);
  auto v = resolve_secret("ENVMON_TEST_SECRET", "");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "hunter2");
  auto missing = resolve_secret("ENVMON_TEST_UNSET_SECRET", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("ENVMON_TEST_UNSET_SECRET"), std::string::npos);
  const std::string path = std::string(ENVMON_BINARY_DIR) + "/poller_secret_test.txt";
  std::ofstream(path) << "filekey\n";
  auto f = resolve_secret("ENVMON_TEST_UNSET_SECRET", path);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, "filekey");
  std::remove(path.c_str());
  auto nofile = resolve_secret("", path);
  ASSERT_FALSE(nofile.ok());
  EXPECT_NE(nofile.error().message().find(path), std::string::npos);
}

TEST(PollerConfig, BadValuesAndUnknownKeysNameFileLineAndKey) {
  auto node = config::load_text(
      "limit_per_day: lots\n"
      "budget_fraction: 2\n"
      "timeout_ms: -5\n"
      "limit_per_dya: 5\n"
      "jitter_fraction: [0.1]\n"
      "max_retries: 1.5\n"
      "api_key_env: K\n",
      "poll.yaml");
  ASSERT_TRUE(node.ok());
  PollerConfig out;
  const Status s = fill_poller_config(*node, PollerDefaults{}, {"api_key_env"}, out);
  ASSERT_FALSE(s.ok());
  const std::string msg = s.error().message();
  // Every bad line is reported at once, each with file, line and key; the passthrough key is not.
  for (const char* where : {"poll.yaml:1:", "poll.yaml:2:", "poll.yaml:3:", "poll.yaml:4:",
                            "poll.yaml:5:", "poll.yaml:6:"}) {
    EXPECT_NE(msg.find(where), std::string::npos) << where << " in\n" << msg;
  }
  for (const char* key : {"limit_per_day", "budget_fraction", "timeout_ms", "limit_per_dya",
                          "jitter_fraction", "max_retries"}) {
    EXPECT_NE(msg.find(key), std::string::npos) << key << " in\n" << msg;
  }
  EXPECT_EQ(msg.find("poll.yaml:7:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("valid keys"), std::string::npos) << msg;
}

TEST(PollerConfig, ABlockThatIsNoMappingIsAnErrorAndAnEmptyOneGivesDefaults) {
  PollerDefaults d;
  d.values.limit_per_day = 1000;
  PollerConfig out;
  auto scalar = config::load_text("42\n", "poll.yaml");
  ASSERT_TRUE(scalar.ok());
  const Status s = fill_poller_config(*scalar, d, {}, out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("poll.yaml:1"), std::string::npos) << s.error().message();
  auto empty = config::load_text("", "poll.yaml");
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(fill_poller_config(*empty, d, {}, out).ok());
  EXPECT_EQ(out.limit_per_day, 1000);
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(ENVMON_BINARY_DIR) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(PollerConfig, ResolveSecretFailsClearlyOnEveryBadInput) {
  ::unsetenv("ENVMON_TEST_UNSET_SECRET");
  auto neither = resolve_secret("", "");
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().code(), Errc::config_missing_key);
  ::setenv("ENVMON_TEST_EMPTY_SECRET", "", 1);
  auto empty_env = resolve_secret("ENVMON_TEST_EMPTY_SECRET", "");
  ASSERT_FALSE(empty_env.ok());
  EXPECT_EQ(empty_env.error().code(), Errc::config_env_missing);
  EXPECT_NE(empty_env.error().message().find("ENVMON_TEST_EMPTY_SECRET"), std::string::npos);
  // An empty variable falls back to the file; CRLF is trimmed.
  const std::string crlf = write_temp("poller_secret_crlf.txt", "filekey\r\n");
  auto from_file = resolve_secret("ENVMON_TEST_EMPTY_SECRET", crlf);
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file, "filekey");
  // Neither source: both are named.
  const std::string absent = std::string(ENVMON_BINARY_DIR) + "/no_such_secret_file.txt";
  auto both = resolve_secret("ENVMON_TEST_UNSET_SECRET", absent);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message().find("ENVMON_TEST_UNSET_SECRET"), std::string::npos);
  EXPECT_NE(both.error().message().find(absent), std::string::npos);
  // Empty, newline-only and two-line files are refused without echoing the content.
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"poller_secret_empty.txt", ""},
           {"poller_secret_nl.txt", "\n\n"},
           {"poller_secret_two.txt", "hunter2\nsecondline\n"},
           {"poller_secret_nul.txt", std::string("hun\0ter2", 8)}}) {
    const std::string path = write_temp(name, text);
    auto bad = resolve_secret("", path);
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(bad.error().code(), Errc::config_bad_value) << name;
    EXPECT_NE(bad.error().message().find(path), std::string::npos) << bad.error().message();
    EXPECT_EQ(bad.error().message().find("hunter2"), std::string::npos) << name;
    std::remove(path.c_str());
  }
  ::setenv("ENVMON_TEST_NL_SECRET", "hunter2\nHost: evil", 1);
  auto nl_env = resolve_secret("ENVMON_TEST_NL_SECRET", crlf);
  ASSERT_FALSE(nl_env.ok());  // a bad variable is an error, not a silent fall back to the file
  EXPECT_NE(nl_env.error().message().find("ENVMON_TEST_NL_SECRET"), std::string::npos);
  EXPECT_EQ(nl_env.error().message().find("hunter2"), std::string::npos);
  std::remove(crlf.c_str());
  ::unsetenv("ENVMON_TEST_EMPTY_SECRET");
  ::unsetenv("ENVMON_TEST_NL_SECRET");
}

TEST(QuotaSpecs, ProviderWindowsAndGroupsInOneListWithoutUnlimitedOnes) {
  PollerConfig c;
  c.limit_per_minute = 60;
  c.limit_per_day = 1000;
  const auto specs = quota_specs(
      c, {QuotaSpec{"onecall", QuotaWindow::day, 100}, QuotaSpec{"free", QuotaWindow::hour, 0}});
  ASSERT_EQ(specs.size(), 3U);
  EXPECT_TRUE(specs[0].group.empty());
  EXPECT_EQ(specs[0].window, QuotaWindow::minute);
  EXPECT_EQ(specs[1].window, QuotaWindow::day);
  EXPECT_EQ(specs[2].group, "onecall");
}

}  // namespace
}  // namespace envmon::sources::http
