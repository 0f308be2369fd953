#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "lake/s3/s3_config.h"
#include "lake/s3/sigv4.h"

namespace envmon::lake::s3 {

struct S3Request {
  std::string method;
  std::string key;  // object key inside the bucket (prefix included); empty: the bucket
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // extra, signed
  std::string body;
};

struct S3Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  // S3's error <Code> (SlowDown, NoSuchKey, ...) when the body carries one.
  std::string error_code() const;
};

// One S3 endpoint and bucket, spoken to with SigV4-signed requests over libcurl (one easy handle,
// kept alive). Thread-safe: the raw and the curated lake sinks share one store, so requests are
// serialised on a mutex (not held during backoff sleeps). Retries 5xx, 429, 503 SlowDown, timeouts, connection
// failures and resets with exponential backoff (equal jitter: half to all of the doubled delay),
// up to max_attempts; each retry is
// logged with the reason. Other statuses are returned as they are for the caller to judge.
class S3Client {
 public:
  // Clock seam for tests: the time that goes into x-amz-date.
  using Now = std::function<Timestamp()>;
  S3Client(S3Config config, SigningKey key, Now now = {});
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Sends `req` until it gets an answer that is not worth retrying. The error is a transport
  // failure or a retryable status that outlived max_attempts (lake_io, Retryable::yes), with
  // the method, key, status, S3 error code and attempt count; never the credentials.
  Result<S3Response> send(const S3Request& req);
  const S3Config& config() const { return config_; }
  int64_t retries() {
    std::lock_guard<std::mutex> lock(mu_);
    return retries_;
  }

 private:
  struct Curl;
  Result<S3Response> send_once(const S3Request& req);
  std::string url_for(const S3Request& req, std::string* host, std::string* canonical_uri) const;
  int64_t backoff_ms(int attempt);

  S3Config config_;
  SigningKey key_;
  Now now_;
  std::mutex mu_;  // guards curl_, rng_, retries_
  std::unique_ptr<Curl> curl_;
  std::mt19937_64 rng_;
  int64_t retries_ = 0;
  Logger log_;
};

// A retryable S3 answer: 5xx (500 InternalError, 503 SlowDown, ...) and 429.
bool retryable_status(long status);
// The text of the first <tag>...</tag> in `xml` (entities decoded), or "".
std::string xml_text(const std::string& xml, const std::string& tag, size_t* from = nullptr);

}  // namespace envmon::lake::s3
