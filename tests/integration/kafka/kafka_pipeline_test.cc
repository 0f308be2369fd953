// The pipeline on a real broker: bad input is dead-lettered, replay is byte-identical, and two
// `envmon process` members share the partitions; killing one loses and doubles nothing.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "e2e/demo_process.h"
#include "integration/kafka/kafka_harness.h"
#include "model/codec.h"

namespace envmon::kafka_test {
namespace {

using std::chrono::seconds;
const std::vector<bus::Topic> kStoreTopics = {bus::Topic::curated, bus::Topic::aggregates,
                                              bus::Topic::dead_letter};

std::string log_of(const KafkaHarness& h, const std::string& name) {
  return e2e::read_file(h.dir() + "/" + name + ".log");
}

#define SKIP_WITHOUT_BROKER(h) \
  if (!(h).ok())               \
  GTEST_SKIP() << "ENVMON_KAFKA_BOOTSTRAP unset or broker unreachable (run through ctest)"

TEST(KafkaPipelineTest, BadInputGoesToTheDeadLetterTopicWithTheReason) {
  KafkaHarness h("badinput");
  SKIP_WITHOUT_BROKER(h);
  auto good = h.readings(0, 2);
  std::string wrong_types = good[0].payload;
  wrong_types.replace(wrong_types.find("\"observed_at\":\""), 15, "\"observed_at\":42,\"x\":\"");
  std::vector<bus::Message> input = {
      raw_message("bad-json", "{not json at all"),
      raw_message("bad-version", good[1].payload, 7),
      raw_message("bad-size", std::string(300'000, 'x')),
      raw_message(
          "bad-types",
          R"({"v":1,"source":"sim","station":{"id":"reykjavik"},"observed_at":12,"measurements":[]})"),
  };
  input.insert(input.end(), good.begin(), good.end());
  h.produce(input);
  auto member = h.start_member("member");
  ASSERT_TRUE(h.wait_committed("processor", {bus::Topic::raw}, seconds(90))) << log_of(h, "member");
  ASSERT_TRUE(h.wait_committed("store", kStoreTopics, seconds(90))) << log_of(h, "member");
  member->signal(SIGTERM);
  EXPECT_EQ(member->wait(seconds(60)), 0) << log_of(h, "member");

  auto keys = h.dead_letter_topic_keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"bad-json", "bad-size", "bad-types", "bad-version"}));
  auto store = h.store_contents();
  EXPECT_EQ(store.dead_letter_keys, keys);
  // Every good reading went through, after the bad ones: the consumer did not stall.
  EXPECT_EQ(first_difference(h.reference_replay(h.dir() + "/reference"), store), "");
  EXPECT_GE(store.measurements.size(), good.size() * 6);
  const std::string log = log_of(h, "member");
  EXPECT_EQ(log.find("level=error"), std::string::npos) << log;
}

TEST(KafkaPipelineTest, ReplayingTheSameRawInputTwiceIsByteIdentical) {
  KafkaHarness h("replay");
  SKIP_WITHOUT_BROKER(h);
  h.produce(h.readings(0, 30));
  const auto first = h.reference_replay(h.dir() + "/one");
  const auto second = h.reference_replay(h.dir() + "/two");
  for (const char* f : {"curated.jsonl", "aggregates.jsonl", "dead-letter.jsonl"}) {
    const auto a = e2e::read_file(h.dir() + "/one/" + f);
    EXPECT_EQ(a, e2e::read_file(h.dir() + "/two/" + f)) << f;
    if (std::string(f) != "dead-letter.jsonl") {
      EXPECT_FALSE(a.empty()) << f;
    }
  }
  EXPECT_GE(first.measurements.size(), 30u * 16u * 6u);  // plus derived values
  EXPECT_TRUE(first_difference(first, second).empty());
}

TEST(KafkaPipelineTest, ReplayRefusesBadArgumentsClearly) {
  const std::string bin = ENVMON_BINARY;
  const std::string cfg = std::string(ENVMON_SOURCE_DIR) + "/configs/kafka.yaml";
  const std::pair<std::string, std::string> cases[] = {
      {" replay", "needs --from-time"},
      {" replay --from-time yesterday", "--from-time 'yesterday'"},
      {" replay --from-time 2026-01-02 --to-time 2026-01-01", "not after --from-time"},
      {" replay --from-time 2026-01-01 --from disk", "valid: topic, lake"},
      {" replay --from-time 2026-01-01 --frm topic", "frm"},
  };
  for (const auto& [args, expected] : cases) {
    std::string out;
    FILE* p = ::popen((bin + args + " --config " + cfg + " 2>&1").c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
      out.append(buf, n);
    const int status = ::pclose(p);
    EXPECT_EQ(WEXITSTATUS(status), 2) << args << ": " << out;
    EXPECT_NE(out.find(expected), std::string::npos) << args << ": " << out;
  }
}

TEST(KafkaPipelineTest, TwoMembersShareThePartitionsAndSurviveOneBeingKilled) {
  KafkaHarness h("scaleout");
  SKIP_WITHOUT_BROKER(h);
  auto a = h.start_member("a");
  auto b = h.start_member("b");
  // Both members own partitions before the data arrives, so b has work to lose when killed.
  const auto deadline = std::chrono::steady_clock::now() + seconds(60);
  while (log_of(h, "b").find("group=processor partitions=") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  h.produce(h.readings(0, 18));  // 1.5 hours
  ASSERT_TRUE(h.wait_committed("processor", {bus::Topic::raw}, seconds(90))) << log_of(h, "b");
  b->signal(SIGKILL);  // no goodbye: its partitions move after the session timeout
  EXPECT_EQ(b->wait(seconds(10)), 128 + SIGKILL);
  h.produce(h.readings(18, 40));
  ASSERT_TRUE(h.wait_committed("processor", {bus::Topic::raw}, seconds(120))) << log_of(h, "a");
  ASSERT_TRUE(h.wait_committed("store", kStoreTopics, seconds(120))) << log_of(h, "a");
  a->signal(SIGTERM);
  ASSERT_EQ(a->wait(seconds(60)), 0) << log_of(h, "a");

  const std::string log_a = log_of(h, "a");
  const std::string log_b = log_of(h, "b");
  EXPECT_NE(log_b.find("partitions assigned"), std::string::npos) << log_b;
  // Whether a logs "rebuilding partition state" depends on b having committed before the kill
  // (see the closing note of issue 4); the store compared with the reference is the real bar.
  EXPECT_NE(log_a.find("partitions assigned"), std::string::npos) << log_a;
  const auto expected = h.reference_replay(h.dir() + "/reference");
  ASSERT_GE(expected.measurements.size(), 40u * 16u * 6u);
  const auto actual = h.store_contents();
  EXPECT_EQ(first_difference(expected, actual), "");
  EXPECT_TRUE(actual.dead_letter_keys.empty());
}

}  // namespace
}  // namespace envmon::kafka_test
