#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"

namespace envmon::lake::s3 {

// AWS Signature Version 4 (header-based), as specified in the AWS General Reference
// ("Signing AWS API requests"), with HMAC-SHA256 and SHA-256 from OpenSSL.
struct SigningKey {
  std::string access_key;
  std::string secret_key;  // never logged
  std::string region = "us-east-1";
  std::string service = "s3";
};

struct SignedRequest {
  std::string method;                                      // GET, PUT, ...
  std::string canonical_uri;                               // already URI-encoded ("/bucket/a%20b")
  std::vector<std::pair<std::string, std::string>> query;  // raw (unencoded) names and values
  // Headers to sign, names in any case; must include host, x-amz-date, x-amz-content-sha256.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256;  // hex, or "UNSIGNED-PAYLOAD"
};

// The Authorization header value for `req` at `amz_date` ("20130524T000000Z").
std::string authorization(const SignedRequest& req, const SigningKey& key,
                          const std::string& amz_date);
// The canonical request (exposed for tests and for debugging signature mismatches).
std::string canonical_request(const SignedRequest& req);
// RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else %XX
// (upper case); '/' stays when keep_slash.
std::string uri_encode(std::string_view s, bool keep_slash);
// The canonical query string: encoded names and values, sorted, joined with '&'.
std::string canonical_query(std::vector<std::pair<std::string, std::string>> query);
std::string amz_date(Timestamp t);  // "YYYYMMDDTHHMMSSZ"
std::string md5_base64(std::string_view data);

}  // namespace envmon::lake::s3
