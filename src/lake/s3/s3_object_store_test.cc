// Integration tests of the S3 backend against S3Proxy (started by the ctest fixture `s3` from
// scripts/s3/server), directly and through a fault-injecting proxy.
#include "lake/s3/s3_object_store.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "lake/curated_lake.h"
#include "lake/file/file_object_store.h"
#include "lake/parquet/parquet_reader.h"
#include "lake/raw_lake_reader.h"
#include "lake/s3/s3_fault_proxy.h"
#include "model/codec.h"

namespace envmon::lake::s3 {
namespace {

const Timestamp kT0 = from_unix_ms(1767225600000);  // 2026-01-01T00:00:00Z

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class S3StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (env("ENVMON_S3_ENDPOINT").empty())
      GTEST_SKIP() << "ENVMON_S3_ENDPOINT not set: run through ctest (fixture s3 starts "
                      "scripts/s3/server)";
    config_.endpoint = env("ENVMON_S3_ENDPOINT");
    config_.bucket = env("ENVMON_S3_BUCKET").empty() ? "envmon-test" : env("ENVMON_S3_BUCKET");
    // A fresh prefix per test: reruns against the same server never see old objects.
    config_.prefix = "t" + std::to_string(::getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + "/";
    config_.retry_initial_ms = 5;
    config_.retry_max_ms = 50;
    auto key = credentials_from_env(config_);
    ASSERT_TRUE(key.ok()) << key.error().to_string();
    key_ = *key;
  }
  std::unique_ptr<ObjectStore> store(S3Config c) {
    return make_s3_object_store(std::make_unique<S3Client>(c, key_));
  }
  std::unique_ptr<ObjectStore> store() { return store(config_); }
  // The same server through a fault proxy.
  S3Config via(const S3FaultProxy& proxy) {
    S3Config c = config_;
    c.endpoint = "http://127.0.0.1:" + std::to_string(proxy.port());
    return c;
  }
  int upstream_port() const {
    return std::stoi(config_.endpoint.substr(config_.endpoint.rfind(':') + 1));
  }
  static std::vector<ObjectInfo> listing(ObjectStore& s, const std::string& prefix) {
    auto l = s.list(prefix);
    EXPECT_TRUE(l.ok()) << (l.ok() ? "" : l.error().to_string());
    return l.ok() ? *l : std::vector<ObjectInfo>{};
  }

  S3Config config_;
  SigningKey key_;
};

TEST_F(S3StoreTest, PutGetExistsRemoveAndWriteOnce) {
  auto s = store();
  auto sha = s->put("raw/a b/x.json", "{\"v\":1}", true);
  ASSERT_TRUE(sha.ok()) << sha.error().to_string();
  EXPECT_EQ(*sha, sha256_hex("{\"v\":1}"));
  EXPECT_EQ(*s->get("raw/a b/x.json"), "{\"v\":1}");
  EXPECT_TRUE(*s->exists("raw/a b/x.json"));
  auto again = s->put("raw/a b/x.json", "other", true);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Errc::lake_exists);
  EXPECT_EQ(*s->get("raw/a b/x.json"), "{\"v\":1}");  // never overwritten
  ASSERT_TRUE(s->put("raw/a b/x.json", "replaced", false).ok());
  ASSERT_TRUE(s->remove("raw/a b/x.json").ok());
  EXPECT_FALSE(*s->exists("raw/a b/x.json"));
  EXPECT_TRUE(s->remove("raw/a b/x.json").ok());  // already gone: fine
  auto missing = s->get("raw/nothing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Errc::not_found);
  EXPECT_FALSE(s->put("../escape", "x", false).ok());
}

TEST_F(S3StoreTest, ListPagesThroughContinuationTokensUnderThePrefix) {
  S3Config c = config_;
  c.list_page_size = 3;
  auto s = store(c);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(s->put("p/k" + std::to_string(i), std::string(i, 'x'), true).ok());
  ASSERT_TRUE(s->put("q/other", "x", true).ok());
  const auto keys = listing(*s, "p/");
  ASSERT_EQ(keys.size(), 10U);
  EXPECT_EQ(keys[0].key, "p/k0");
  EXPECT_EQ(keys[9].key, "p/k9");
  EXPECT_EQ(keys[5].size, 5);
}

// The raw and the curated lake sinks share one store from two threads.
TEST_F(S3StoreTest, OneStoreServesTwoThreadsAtOnce) {
  auto s = store();
  auto writer = [&](const std::string& dir) {
    for (int i = 0; i < 25; ++i)
      EXPECT_TRUE(s->put(dir + "/k" + std::to_string(i), dir + std::to_string(i), true).ok());
  };
  std::thread a(writer, "raw"), b(writer, "curated");
  a.join();
  b.join();
  EXPECT_EQ(listing(*s, "raw/").size(), 25U);
  EXPECT_EQ(listing(*s, "curated/").size(), 25U);
  EXPECT_EQ(*s->get("curated/k7"), "curated7");
}

TEST_F(S3StoreTest, LargeObjectsGoUpInPartsAndComeBackWhole) {
  S3Config c = config_;
  c.multipart_threshold_bytes = 5 << 20;
  c.multipart_part_bytes = 5 << 20;
  auto s = store(c);
  std::string big(6 << 20, '\0');
  std::mt19937 rng(7);
  for (char& ch : big)
    ch = static_cast<char>(rng());
  auto sha = s->put("big/object.bin", big, true);
  ASSERT_TRUE(sha.ok()) << sha.error().to_string();
  auto back = s->get("big/object.bin");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(sha256_hex(*back), sha256_hex(big));
  EXPECT_EQ(s->put("big/object.bin", big, true).error().code(), Errc::lake_exists);
}

TEST_F(S3StoreTest, WrongSecretIsAClearPermanentErrorWithoutTheSecret) {
  SigningKey bad = key_;
  bad.secret_key = "not-the-secret-123";
  auto s = make_s3_object_store(std::make_unique<S3Client>(config_, bad));
  auto r = s->put("x", "y", false);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().retryable());
  EXPECT_NE(r.error().message().find("403"), std::string::npos) << r.error().message();
  EXPECT_EQ(r.error().message().find("not-the-secret-123"), std::string::npos);
}

TEST_F(S3StoreTest, RawLakeRunsOnS3AndReadsBackVerified) {
  RawLakeConfig rc;
  rc.max_part_bytes = 2048;
  auto s = store();
  RawLake lake(*s, rc);
  ASSERT_TRUE(lake.start().ok());
  for (int i = 0; i < 100; ++i) {
    const std::string payload = "{\"i\":" + std::to_string(i) + ",\"pad\":\"" +
                                std::string(40, 'x') + "\"}";
    ASSERT_TRUE(lake.append("sim", "delhi", kT0 + Seconds(30 * i), payload).ok());
  }
  ASSERT_TRUE(lake.flush().ok());
  EXPECT_GT(lake.parts_written(), 1);
  int n = 0;
  auto scan = scan_raw_lake(*s, kT0, kT0 + Seconds(7200), {"sim"},
                              [&](const RawRecord&) { ++n; return ok_status(); });
  ASSERT_TRUE(scan.ok()) << scan.error().to_string();
  EXPECT_EQ(scan->records, 100);
  EXPECT_EQ(n, 100);
}

TEST_F(S3StoreTest, RetriesSlowDownAnd500AndALostAnswerCountsAsWritten) {
  S3FaultProxy proxy("127.0.0.1", upstream_port());
  S3Client* client = nullptr;
  auto c = std::make_unique<S3Client>(via(proxy), key_);
  client = c.get();
  auto s = make_s3_object_store(std::move(c));
  proxy.set(S3FaultProxy::Mode::slow_down_503, 3);
  ASSERT_TRUE(s->put("f/one", "1", true).ok());
  proxy.set(S3FaultProxy::Mode::internal_500, 2);
  EXPECT_EQ(*s->get("f/one"), "1");
  EXPECT_EQ(client->retries(), 5);
  // The PUT lands but its answer is a 500: the retry writes the same bytes again (a server
  // without conditional writes) or finds them (lake_exists); either way one object, intact.
  proxy.set(S3FaultProxy::Mode::lose_answer_500, 1);
  auto put = s->put("f/two", "2", true);
  EXPECT_TRUE(put.ok() || put.error().code() == Errc::lake_exists);
  EXPECT_EQ(*s->get("f/two"), "2");
  EXPECT_EQ(listing(*s, "f/").size(), 2U);
}

TEST_F(S3StoreTest, LongSlowDownFailsRetryablyNamingTheCauseThenRecoversWithNothingLostOrDoubled) {
  S3FaultProxy proxy("127.0.0.1", upstream_port());
  S3Config c = via(proxy);
  c.max_attempts = 3;
  auto s = make_s3_object_store(std::make_unique<S3Client>(c, key_));
  CuratedLake lake(*s, {});
  ASSERT_TRUE(lake.start().ok());
  for (int i = 0; i < 50; ++i) {
    Reading r;
    r.source = SourceId("sim");
    r.station = StationRef{StationId(i % 2 ? "delhi" : "tokyo"), "x", 1, 2};
    r.observed_at = kT0 + Seconds(60 * i);
    r.ingested_at = r.observed_at + Seconds(3);
    r.measurements.push_back({Metric::pm25, 10.0 + i, std::nan(""), "", 0});
    r.enrichment = Enrichment{i % 2 ? "south-asia" : "east-asia", "UTC", 0, ""};
    lake.append(r, encode_reading(r));
  }
  proxy.set(S3FaultProxy::Mode::slow_down_503);  // for a while: longer than the client's retries
  Status f = lake.flush();
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(f.error().retryable());
  EXPECT_NE(f.error().message().find("503"), std::string::npos) << f.error().message();
  EXPECT_NE(f.error().message().find("gave up after 3 attempts"), std::string::npos);
  proxy.set(S3FaultProxy::Mode::internal_500, 4);  // recovering, a few 500s left
  Status again = lake.flush();
  if (!again.ok()) again = lake.flush();
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  size_t rows = 0;
  for (const auto& o : listing(*s, "curated/date=")) {
    auto bytes = s->get(o.key);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto t = parquet::read_parquet(*bytes);
    ASSERT_TRUE(t.ok()) << t.error().to_string();
    rows += t->rows();
  }
  EXPECT_EQ(rows, 50U);
}

}  // namespace
}  // namespace envmon::lake::s3
