#include "lake/s3/sigv4.h"

#include <gtest/gtest.h>

#include "config/node.h"
#include "lake/file/file_object_store.h"
#include "lake/s3/s3_client.h"
#include "lake/s3/s3_config.h"
#include "lake/s3/s3_object_store.h"

namespace envmon::lake::s3 {
namespace {

// The worked example "GET Object" of the AWS S3 SigV4 documentation (Authenticating Requests:
// Using the Authorization Header), with its published signature.
TEST(SigV4, MatchesTheAwsDocumentationExampleForGetObject) {
  SignedRequest req;
  req.method = "GET";
  req.canonical_uri = "/test.txt";
  req.payload_sha256 = sha256_hex("");
  req.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                 {"Range", "bytes=0-9"},
                 {"x-amz-content-sha256", req.payload_sha256},
                 {"x-amz-date", "20130524T000000Z"}};
  SigningKey key{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1",
                 "s3"};
  EXPECT_EQ(canonical_request(req),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(authorization(req, key, "20130524T000000Z"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, EncodesKeysAndSortsTheQuery) {
  EXPECT_EQ(uri_encode("raw/source=sim/a b+c~.-_", true), "raw/source%3Dsim/a%20b%2Bc~.-_");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(canonical_query({{"prefix", "raw/x"}, {"list-type", "2"}, {"uploads", ""}}),
            "list-type=2&prefix=raw%2Fx&uploads=");
  EXPECT_EQ(amz_date(from_unix_ms(1369353600000)), "20130524T000000Z");
  EXPECT_EQ(md5_base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(S3Xml, ReadsTagsAndDecodesEntities) {
  const std::string xml =
      "<Error><Code>SlowDown</Code><Message>Please reduce &amp; retry</Message></Error>";
  EXPECT_EQ(xml_text(xml, "Code"), "SlowDown");
  EXPECT_EQ(xml_text(xml, "Message"), "Please reduce & retry");
  EXPECT_EQ(xml_text(xml, "Missing"), "");
  size_t pos = 0;
  const std::string list = "<Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents>";
  EXPECT_EQ(xml_text(xml_text(list, "Contents", &pos), "Key"), "a");
  EXPECT_EQ(xml_text(xml_text(list, "Contents", &pos), "Key"), "b");
  EXPECT_EQ(xml_text(list, "Contents", &pos), "");
  EXPECT_TRUE(retryable_status(503));
  EXPECT_TRUE(retryable_status(429));
  EXPECT_FALSE(retryable_status(403));
}

TEST(S3Config, RejectsMalformedSettingsNamingTheKey) {
  auto bad = [](const std::string& yaml) {
    auto node = config::load_text(yaml, "lake.yaml");
    EXPECT_TRUE(node.ok());
    auto cfg = parse_s3_config(*node);
    EXPECT_FALSE(cfg.ok()) << yaml;
    return cfg.ok() ? std::string() : cfg.error().message();
  };
  EXPECT_NE(bad("endpoint: ftp://x").find("http"), std::string::npos);
  EXPECT_NE(bad("bucket: ''").find("bucket"), std::string::npos);
  EXPECT_NE(bad("root: lake").find("root is for lake.file"), std::string::npos);
  EXPECT_NE(bad("addressing: dns").find("addressing"), std::string::npos);
  EXPECT_NE(bad("multipart_part_bytes: 1024").find("multipart_part_bytes"), std::string::npos);
  EXPECT_NE(bad("bukket: x").find("unknown key"), std::string::npos);
  auto ok = config::load_text("prefix: envmon\nmax_part_bytes: 4096\ncurated: {}", "lake.yaml");
  auto cfg = parse_s3_config(*ok);
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->prefix, "envmon/");
}

TEST(S3Config, MissingCredentialsNameTheVariableNeverAValue) {
  S3Config cfg;
  cfg.access_key_env = "ENVMON_TEST_NO_SUCH_KEY_ID";
  cfg.secret_key_env = "ENVMON_TEST_NO_SUCH_SECRET";
  auto key = credentials_from_env(cfg);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Errc::config_env_missing);
  EXPECT_NE(key.error().message().find("ENVMON_TEST_NO_SUCH_KEY_ID"), std::string::npos);
  auto node = config::load_text("access_key_env: ENVMON_TEST_NO_SUCH_KEY_ID", "lake.yaml");
  auto lake = make_s3_lake(*node);
  ASSERT_FALSE(lake.ok());
  EXPECT_EQ(lake.error().code(), Errc::config_env_missing);
}

}  // namespace
}  // namespace envmon::lake::s3
