#include "lake/s3/sigv4.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lake/file/file_object_store.h"

namespace envmon::lake::s3 {
namespace {

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Trims and collapses inner runs of spaces, as the canonical headers require.
std::string trim_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> sorted_headers(const SignedRequest& req) {
  std::vector<std::pair<std::string, std::string>> h;
  for (const auto& [k, v] : req.headers)
    h.emplace_back(lower(k), trim_value(v));
  std::sort(h.begin(), h.end());
  return h;
}

std::string signed_header_names(const SignedRequest& req) {
  std::string out;
  for (const auto& [k, v] : sorted_headers(req)) {
    if (!out.empty()) out += ';';
    out += k;
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string canonical_query(std::vector<std::pair<std::string, std::string>> query) {
  for (auto& [k, v] : query) {
    k = uri_encode(k, false);
    v = uri_encode(v, false);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string canonical_request(const SignedRequest& req) {
  std::string headers;
  for (const auto& [k, v] : sorted_headers(req))
    headers += k + ":" + v + "\n";
  return req.method + "\n" + req.canonical_uri + "\n" + canonical_query(req.query) + "\n" +
         headers + "\n" + signed_header_names(req) + "\n" + req.payload_sha256;
}

std::string authorization(const SignedRequest& req, const SigningKey& key,
                          const std::string& date) {
  const std::string day = date.substr(0, 8);
  const std::string scope = day + "/" + key.region + "/" + key.service + "/aws4_request";
  const std::string to_sign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" +
                              sha256_hex(canonical_request(req));
  std::string k = hmac("AWS4" + key.secret_key, day);
  k = hmac(k, key.region);
  k = hmac(k, key.service);
  k = hmac(k, "aws4_request");
  return "AWS4-HMAC-SHA256 Credential=" + key.access_key + "/" + scope +
         ", SignedHeaders=" + signed_header_names(req) + ", Signature=" + hex(hmac(k, to_sign));
}

std::string amz_date(Timestamp t) {
  std::string s = format_rfc3339(floor_to(t, Millis(1000)));  // 2013-05-24T00:00:00Z
  std::string out;
  for (char c : s.substr(0, 19)) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "Z";
}

std::string md5_base64(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  unsigned char b64[64];
  const int n = EVP_EncodeBlock(b64, md, static_cast<int>(len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n));
}

}  // namespace envmon::lake::s3
