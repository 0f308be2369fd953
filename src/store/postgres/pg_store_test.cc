// Unit tests of the PostgreSQL backend that need no server: the PGCOPY encoder, the SQLSTATE
// classification, the config schema, running a write's shares.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <system_error>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_copy.h"
#include "store/postgres/pg_parallel.h"
#include "store/postgres/pg_store_config.h"

namespace envmon::store::postgres {
namespace {

TEST(PgCopyEncoderTest, WritesHeaderBigEndianFieldsNullsAndTrailer) {
  CopyEncoder e;
  e.begin_row(4);
  e.text("ab");
  e.int4(258);
  e.float8(std::nan(""));
  e.timestamptz(from_unix_ms(946684800001));  // 1 ms after PostgreSQL's epoch
  const std::string out = e.finish();
  const std::string expected = std::string("PGCOPY\n\377\r\n\0", 11) + std::string(8, '\0') +
                               std::string("\0\4", 2) + std::string("\0\0\0\2ab", 6) +
                               std::string("\0\0\0\4\0\0\1\2", 8) + std::string("\377\377\377\377", 4) +
                               std::string("\0\0\0\x08\0\0\0\0\0\0\x03\xe8", 12) +
                               std::string("\377\377", 2);
  EXPECT_EQ(out, expected);
  EXPECT_EQ(e.finish().size(), 11u + 8u + 2u);  // empty again: header and trailer only
}

TEST(PgCopyEncoderTest, StorableTextReplacesNulAndInvalidUtf8) {
  EXPECT_EQ(storable_text("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(storable_text(std::string("a\0b", 3)), "a\\0b");
  EXPECT_EQ(storable_text("caf\xc3"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(storable_text("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(PgErrorTest, SqlstatesAreClassifiedForTheSink) {
  struct Case {
    const char* state;
    Errc code;
    bool retryable;
  };
  const Case cases[] = {
      {"08006", Errc::store_io, true},          // connection failure
      {"57P01", Errc::store_io, true},          // admin shutdown (server restarting)
      {"40001", Errc::store_io, true},          // serialization failure
      {"40P01", Errc::store_io, true},          // deadlock
      {"53300", Errc::store_io, true},          // too many connections
      {"23505", Errc::store_constraint, false}, // unique violation
      {"23514", Errc::store_constraint, false}, // check violation
      {"22021", Errc::store_constraint, false}, // invalid byte sequence for encoding
      {"22P02", Errc::store_constraint, false}, // invalid text (bad JSON)
      {"42P01", Errc::store_schema, false},     // undefined table
      {"XX000", Errc::store_io, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.state);
    bool retry = false;
    EXPECT_EQ(errc_for_sqlstate(c.state, &retry), c.code);
    EXPECT_EQ(retry, c.retryable);
  }
}

TEST(PgStoreConfigTest, RejectsMalformedSettingsNamingTheKey) {
  struct Case {
    const char* yaml;
    const char* mentions;
  };
  const Case cases[] = {
      {"dsn: \"\"\n", "dsn"},
      {"dsn: \"host=x password=hunter2\"\n", "password"},
      {"pool_size: 0\n", "pool_size"},
      {"write_connections: 0\n", "write_connections"},
      {"write_connections: 65\n", "write_connections"},
      {"write_connections: two\n", "write_connections"},
      {"partition_interval: month\n", "partition_interval"},
      {"timescale: maybe\n", "timescale"},
      {"raw_retention_days: -1\n", "raw_retention_days"},
      {"retention_interval_secs: 1\n", "retention_interval_secs"},
      {"paswsord: x\n", "paswsord"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    auto node = config::load_text(c.yaml, "t.yaml");
    ASSERT_TRUE(node.ok());
    auto cfg = parse_pg_store_config(*node);
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.error().to_string().find(c.mentions), std::string::npos)
        << cfg.error().to_string();
    EXPECT_NE(cfg.error().to_string().find("t.yaml:1"), std::string::npos)
        << cfg.error().to_string();
    EXPECT_EQ(cfg.error().to_string().find("hunter2"), std::string::npos);
  }
}

TEST(PgStoreConfigTest, WriteConnectionsBeyondThePoolAreRejectedNamingBothKeys) {
  auto node = config::load_text("pool_size: 2\nwrite_connections: 3\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto cfg = parse_pg_store_config(*node);
  ASSERT_FALSE(cfg.ok());
  const std::string msg = cfg.error().to_string();
  EXPECT_NE(msg.find("t.yaml:2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("write_connections (3) must not exceed pool_size (2)"), std::string::npos)
      << msg;
  auto equal = config::load_text("pool_size: 2\nwrite_connections: 2\n", "t.yaml");
  ASSERT_TRUE(equal.ok());
  EXPECT_TRUE(parse_pg_store_config(*equal).ok());
}

// A share whose thread cannot be started runs on the calling thread; the first failure by
// share number is the result, and every share ran.
TEST(PgWriteSharesTest, ShareWithoutAThreadRunsOnTheCallingThread) {
  const auto no_threads = [](auto&&) -> std::future<Status> {
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  };
  std::vector<int> ran(3, 0);
  Status s = run_shares(
      3,
      [&](size_t i) -> Status {
        ++ran[i];
        if (i == 0) return ok_status();
        return Error(Errc::store_io, "share " + std::to_string(i), Retryable::yes);
      },
      no_threads);
  EXPECT_EQ(ran, std::vector<int>({1, 1, 1}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "share 1");
  std::atomic<int> threaded{0};
  EXPECT_TRUE(run_shares(4, [&](size_t) {
                ++threaded;
                return ok_status();
              }).ok());
  EXPECT_EQ(threaded.load(), 4);
}

TEST(PgStoreConfigTest, PasswordIsSecretAndRetentionPolicyFollowsTheConfig) {
  auto node = config::load_text("password: s3cret\nraw_retention_days: 30\n", "t.yaml");
  ASSERT_TRUE(node.ok());
  auto store = make_pg_store(*node);
  ASSERT_TRUE(store.ok());
  auto policy = (*store)->retention_policy();
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->raw_retention_days, 30);
  bool secret = false;
  for (const auto& spec : pg_store_schema().specs())
    if (spec.key == "password") secret = spec.secret;
  EXPECT_TRUE(secret);
  auto keep = config::load_text("{}\n", "t.yaml");
  ASSERT_TRUE(keep.ok());
  EXPECT_FALSE((*make_pg_store(*keep))->retention_policy().has_value());
}

}  // namespace
}  // namespace envmon::store::postgres
