// Faults against the real broker: the broker restarted mid-stream, a member killed with SIGKILL
// and restarted, the store locked for a while. Afterwards the store holds every reading exactly
// once (compared value by value with a deterministic replay of the raw topic), and the
// dead-letter topic holds only the messages that are really bad.
#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include "e2e/demo_process.h"
#include "integration/kafka/kafka_harness.h"

namespace envmon::kafka_test {
namespace {

using std::chrono::seconds;

// Until one line of the member's log contains every one of `parts`.
bool wait_for_log(const KafkaHarness& h, const std::string& name,
                  const std::vector<std::string>& parts, seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream log(e2e::read_file(h.dir() + "/" + name + ".log"));
    for (std::string line; std::getline(log, line);) {
      if (std::all_of(parts.begin(), parts.end(),
                      [&](const auto& p) { return line.find(p) != std::string::npos; }))
        return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Holds SQLite's write lock, as a long maintenance job or a stuck writer would, until `done`
// says the outage was noticed (bounded), plus a little longer.
template <typename Done>
void lock_store(const std::string& db_path, Done done) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 30000);
    if (sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK) {
      done();
      std::this_thread::sleep_for(seconds(2));
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  sqlite3_close(db);
}

TEST(KafkaFaultsTest, BrokerRestartMemberKillAndStoreOutageLoseAndDoubleNothing) {
  KafkaHarness h("faults");
  const char* broker_dir = std::getenv("ENVMON_KAFKA_DIR");
  if (!h.ok() || broker_dir == nullptr) GTEST_SKIP() << "needs the ctest broker fixture";
  const std::vector<bus::Topic> store_topics = {bus::Topic::curated, bus::Topic::aggregates,
                                                bus::Topic::dead_letter};
  auto m1 = h.start_member("m1");
  h.produce(h.readings(0, 12));
  h.produce({raw_message("bad-json", "{\"v\":1,\"source\":")});
  ASSERT_TRUE(h.wait_committed("processor", {bus::Topic::raw}, seconds(90)));

  // 1. The broker restarts while readings are being produced and processed.
  std::thread producing([&] { h.produce(h.readings(12, 24)); });
  const std::string restart = std::string(ENVMON_SOURCE_DIR) +
                              "/scripts/kafka/broker restart --dir " + broker_dir +
                              " >/dev/null 2>&1";
  ASSERT_EQ(std::system(restart.c_str()), 0);
  producing.join();

  // 2. The member dies without a goodbye in the middle of a stream, and is started again.
  std::thread more([&] { h.produce(h.readings(24, 30)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  m1->signal(SIGKILL);
  more.join();
  EXPECT_EQ(m1->wait(seconds(10)), 128 + SIGKILL);
  auto m2 = h.start_member("m2");
  // m2 owns the store partitions once m1's session has expired.
  ASSERT_TRUE(wait_for_log(h, "m2", {"partitions assigned", "group=store"}, seconds(60)));

  // 3. The store is unavailable for a while: the sink backs off and retries, Kafka buffers.
  bool noticed = false;
  std::thread outage([&] {
    lock_store(h.db_path(), [&] {
      noticed = wait_for_log(h, "m2", {"sink:store", "locked"}, seconds(90));
    });
  });
  h.produce(h.readings(30, 40));
  h.produce({raw_message("bad-version", "{}", 9)});
  outage.join();
  EXPECT_TRUE(noticed) << "the store sink never hit the locked store";

  ASSERT_TRUE(h.wait_committed("processor", {bus::Topic::raw}, seconds(180)));
  ASSERT_TRUE(h.wait_committed("store", store_topics, seconds(180)));
  m2->signal(SIGTERM);
  ASSERT_EQ(m2->wait(seconds(60)), 0) << e2e::read_file(h.dir() + "/m2.log");

  const auto expected = h.reference_replay(h.dir() + "/reference");
  ASSERT_GE(expected.measurements.size(), 40u * 16u * 6u);
  const auto actual = h.store_contents();
  EXPECT_EQ(first_difference(expected, actual), "");
  EXPECT_EQ(actual.dead_letter_keys, (std::vector<std::string>{"bad-json", "bad-version"}));
  // Redelivery after the kill may dead-letter a bad message again, but nothing good lands there.
  for (const auto& key : h.dead_letter_topic_keys())
    EXPECT_TRUE(key == "bad-json" || key == "bad-version") << key;
}

}  // namespace
}  // namespace envmon::kafka_test
