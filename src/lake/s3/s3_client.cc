#include "lake/s3/s3_client.h"

#include <algorithm>
#include <thread>

#include <curl/curl.h>

#include "core/clock.h"

#include "lake/file/file_object_store.h"

namespace envmon::lake::s3 {

struct S3Client::Curl {
  CURL* easy = nullptr;
  Curl() : easy(curl_easy_init()) {}
  ~Curl() { curl_easy_cleanup(easy); }
};

namespace {

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const size_t b = value.find_first_not_of(" \t");
    const size_t e = value.find_last_not_of(" \t\r\n");
    (*static_cast<std::map<std::string, std::string>*>(user))[name] =
        b == std::string::npos ? "" : value.substr(b, e - b + 1);
  }
  return size * n;
}

void decode_entities(std::string& s) {
  static const std::pair<const char*, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  for (const auto& [ent, ch] : kEntities) {
    const std::string e(ent);
    for (size_t p = s.find(e); p != std::string::npos; p = s.find(e, p + 1))
      s.replace(p, e.size(), 1, ch);
  }
}

std::string host_of(const std::string& endpoint) {
  const size_t start = endpoint.find("://") + 3;
  const size_t end = endpoint.find('/', start);
  return endpoint.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string describe(const S3Request& req, const S3Response& r) {
  std::string what = std::to_string(r.status);
  if (const std::string code = r.error_code(); !code.empty()) what += " " + code;
  if (const std::string msg = xml_text(r.body, "Message"); !msg.empty()) what += " (" + msg + ")";
  return "S3 " + req.method + " " + (req.key.empty() ? "(bucket)" : req.key) + ": " + what;
}

}  // namespace

std::string xml_text(const std::string& xml, const std::string& tag, size_t* from) {
  const std::string open = "<" + tag + ">";
  const std::string close = "</" + tag + ">";
  const size_t b = xml.find(open, from ? *from : 0);
  if (b == std::string::npos) return "";
  const size_t e = xml.find(close, b + open.size());
  if (e == std::string::npos) return "";
  if (from) *from = e + close.size();
  std::string out = xml.substr(b + open.size(), e - b - open.size());
  decode_entities(out);
  return out;
}

std::string S3Response::error_code() const {
  return xml_text(body, "Code");
}

bool retryable_status(long status) {
  return status >= 500 || status == 429;
}

S3Client::S3Client(S3Config config, SigningKey key, Now now)
    : config_(std::move(config)),
      key_(std::move(key)),
      now_(now ? std::move(now) : Now([] { return SystemClock().now(); })),
      curl_(std::make_unique<Curl>()),
      rng_(std::random_device{}()),
      log_("lake:s3:" + config_.bucket) {
  key_.region = config_.region;
}

S3Client::~S3Client() = default;

std::string S3Client::url_for(const S3Request& req, std::string* host,
                              std::string* canonical_uri) const {
  const std::string endpoint_host = host_of(config_.endpoint);
  const std::string scheme = config_.endpoint.substr(0, config_.endpoint.find("://") + 3);
  const std::string key_path = "/" + uri_encode(req.key, true);
  if (config_.addressing == Addressing::path) {
    *host = endpoint_host;
    *canonical_uri = "/" + uri_encode(config_.bucket, false) + (req.key.empty() ? "" : key_path);
  } else {
    *host = config_.bucket + "." + endpoint_host;
    *canonical_uri = key_path;
  }
  const std::string q = canonical_query(req.query);
  return scheme + *host + *canonical_uri + (q.empty() ? "" : "?" + q);
}

Result<S3Response> S3Client::send_once(const S3Request& req) {
  CURL* c = curl_->easy;
  curl_easy_reset(c);
  std::string host, uri;
  const std::string url = url_for(req, &host, &uri);
  const std::string date = amz_date(now_());
  SignedRequest sreq{req.method, uri, req.query, req.headers, sha256_hex(req.body)};
  sreq.headers.emplace_back("host", host);
  sreq.headers.emplace_back("x-amz-date", date);
  sreq.headers.emplace_back("x-amz-content-sha256", sreq.payload_sha256);
  curl_slist* list = nullptr;
  for (const auto& [k, v] : sreq.headers)
    list = curl_slist_append(list, (k + ": " + v).c_str());
  list = curl_slist_append(list, ("Authorization: " + authorization(sreq, key_, date)).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  if (req.method == "PUT" || req.method == "POST")
    list = curl_slist_append(list, "Content-Type: application/octet-stream");
  S3Response resp;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  if (req.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (req.method == "PUT" || req.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &resp.headers);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    return Error(Errc::lake_io,
                 "S3 " + req.method + " " + (req.key.empty() ? "(bucket)" : req.key) + " at " +
                     config_.endpoint + ": " + curl_easy_strerror(rc),
                 Retryable::yes);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

int64_t S3Client::backoff_ms(int attempt) {
  const int64_t cap = std::min<int64_t>(config_.retry_max_ms,
                                        config_.retry_initial_ms << std::min(attempt, 20));
  return std::uniform_int_distribution<int64_t>(cap / 2, cap)(rng_);
}

Result<S3Response> S3Client::send(const S3Request& req) {
  for (int attempt = 1;; ++attempt) {
    std::unique_lock<std::mutex> lock(mu_);
    auto r = send_once(req);
    std::string why;
    if (!r.ok()) {
      why = r.error().message();
    } else if (retryable_status(r->status)) {
      why = describe(req, *r);
    } else {
      return r;
    }
    if (attempt >= config_.max_attempts) {
      return Error(Errc::lake_io,
                   why + " (gave up after " + std::to_string(attempt) + " attempts)",
                   Retryable::yes);
    }
    const int64_t delay = backoff_ms(attempt - 1);
    ++retries_;
    lock.unlock();
    log_.warn("S3 request failed, retrying",
              {{"error", why}, {"attempt", attempt}, {"delay_ms", delay}});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
}

}  // namespace envmon::lake::s3
