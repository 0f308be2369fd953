#include "net/url.h"

#include <gtest/gtest.h>

#include "net/http_types.h"

namespace envmon::net {
namespace {

TEST(UrlEncode, KeepsUnreservedAndEscapesTheRest) {
  EXPECT_EQ(url_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(url_encode("New Delhi/&=?"), "New%20Delhi%2F%26%3D%3F");
  EXPECT_EQ(url_encode("\xC3\xA9"), "%C3%A9");
}

TEST(RedactQuery, ReplacesOnlySecretValues) {
  EXPECT_EQ(redact_query("https://api.x/data?lat=1&appid=s3cr3t&lon=2", {"appid"}),
            "https://api.x/data?lat=1&appid=REDACTED&lon=2");
  EXPECT_EQ(redact_query("https://api.x/feed/geo:1;2/?token=abc", {"token", "appid"}),
            "https://api.x/feed/geo:1;2/?token=REDACTED");
  EXPECT_EQ(redact_query("https://api.x/a?token=abc#frag", {"token"}),
            "https://api.x/a?token=REDACTED#frag");
  EXPECT_EQ(redact_query("https://api.x/a", {"token"}), "https://api.x/a");
  EXPECT_EQ(redact_query("https://api.x/a?mytoken=abc", {"token"}), "https://api.x/a?mytoken=abc");
}

TEST(RedactQuery, OddUrlsNeverLeakAndNeverBreak) {
  const std::vector<std::string> s{"appid"};
  // Spellings a server still reads as the key.
  EXPECT_EQ(redact_query("https://x/a?APPID=k", s), "https://x/a?APPID=REDACTED");
  EXPECT_EQ(redact_query("https://x/a?app%69d=k", s), "https://x/a?app%69d=REDACTED");
  EXPECT_EQ(redact_query("https://x/a?lat=1;appid=k", s), "https://x/a?lat=1;appid=REDACTED");
  EXPECT_EQ(redact_query("https://x/a?appid=k&appid=k2", s),
            "https://x/a?appid=REDACTED&appid=REDACTED");
  EXPECT_EQ(redact_query("https://user:pw@x/a?lat=1", s), "https://REDACTED@x/a?lat=1");
  EXPECT_EQ(redact_query("https://user:pw@x", s), "https://REDACTED@x");
  // Degenerate queries come back unchanged (nothing secret in them).
  for (const char* odd : {"https://x/a?", "https://x/a??", "https://x/a?&&", "https://x/a?appid",
                          "https://x/a?=k", "https://x/a?%", "https://x/a?app%6", "", "?", "&"}) {
    EXPECT_EQ(redact_query(odd, s), odd) << odd;
  }
  EXPECT_EQ(redact_query("https://x/a?appid=", s), "https://x/a?appid=REDACTED");
  EXPECT_EQ(redact_query("https://x/a?appid==k=", s), "https://x/a?appid=REDACTED");
  EXPECT_EQ(redact_query("https://x/a#f?appid=k", s), "https://x/a#f?appid=REDACTED");
  EXPECT_EQ(redact_query("https://x/a@b?appid=k", s), "https://x/a@b?appid=REDACTED");
}

TEST(ParseRetryAfter, DeltaSecondsAndHttpDate) {
  const Timestamp now = from_unix_ms(784111777000);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("120", now), Seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 ", now), Seconds(0));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now), Seconds(60));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now), Seconds(0));  // past: now
  EXPECT_FALSE(parse_retry_after("soon", now).has_value());
  EXPECT_FALSE(parse_retry_after("12abc", now).has_value());
  EXPECT_FALSE(parse_retry_after("", now).has_value());
}

TEST(ParseRetryAfter, GarbageIsNulloptAndHugeIsClamped) {
  const Timestamp now = from_unix_ms(784111777000);
  for (const char* bad : {"-5", "+5", "1.5", "0x10", "120 seconds", "soon", "tomorrow", "Mon",
                          "12:00", " ", "\t", "\x01", "Sun, 99 Foo 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << bad;
  }
  EXPECT_EQ(parse_retry_after("86401", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("9223372036854775807", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("99999999999999999999999999", now), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 9999 08:49:37 GMT", now), kMaxRetryAfter);
}

TEST(SanitizeErrorText, DropsUrlsAndQueries) {
  EXPECT_EQ(sanitize_error_text("Could not resolve host: api.x"), "Could not resolve host: api.x");
  EXPECT_EQ(sanitize_error_text("Bad URL https://api.x/a?appid=k"), "Bad URL");
  EXPECT_EQ(sanitize_error_text("bad thing ?appid=k"), "bad thing");
  EXPECT_EQ(sanitize_error_text("URL rejected: ftp://user:pw@h/x"), "URL rejected");
  EXPECT_EQ(sanitize_error_text("://"), "");
  EXPECT_EQ(sanitize_error_text(""), "");
  EXPECT_EQ(sanitize_error_text("?"), "");
}

TEST(TransportErrorName, NamesEveryValue) {
  EXPECT_EQ(transport_error_name(TransportError::reset), "reset");
  EXPECT_EQ(transport_error_name(TransportError::too_large), "too_large");
  EXPECT_EQ(transport_error_name(TransportError::none), "none");
}

}  // namespace
}  // namespace envmon::net

namespace envmon::net {
namespace {

TEST(MakeGet, AppendsTheSecretAndRedactsItAndBaseCredentials) {
  const auto req = make_get("https://user:pw@api.example.org/feed/x/", "token", "s3cr&t");
  EXPECT_EQ(req.url, "https://user:pw@api.example.org/feed/x/?token=s3cr%26t");
  EXPECT_EQ(req.redacted_url.find("s3cr"), std::string::npos) << req.redacted_url;
  EXPECT_EQ(req.redacted_url.find("pw@"), std::string::npos) << req.redacted_url;
  EXPECT_NE(req.redacted_url.find("token=REDACTED"), std::string::npos) << req.redacted_url;
  const auto with_query = make_get("http://h/v1/forecast?latitude=1", "apikey", "k");
  EXPECT_EQ(with_query.url, "http://h/v1/forecast?latitude=1&apikey=k");
  const auto free_tier = make_get("http://h/v1/forecast?latitude=1", "apikey", "");
  EXPECT_EQ(free_tier.url, "http://h/v1/forecast?latitude=1");
}

}  // namespace
}  // namespace envmon::net
