#include "lake/s3/s3_object_store.h"

#include <cstdlib>

#include "lake/file/file_object_store.h"

namespace envmon::lake::s3 {
namespace {

Error status_error(const std::string& what, const S3Response& r) {
  std::string msg = what + ": HTTP " + std::to_string(r.status);
  if (const std::string code = r.error_code(); !code.empty()) msg += " " + code;
  if (const std::string m = xml_text(r.body, "Message"); !m.empty()) msg += " (" + m + ")";
  if (r.status == 403) msg += "; check the access key, secret and region";
  return Error(Errc::lake_io, msg, retryable_status(r.status) ? Retryable::yes : Retryable::no);
}

class S3ObjectStore final : public ObjectStore {
 public:
  explicit S3ObjectStore(std::unique_ptr<S3Client> client)
      : client_(std::move(client)), prefix_(client_->config().prefix) {}

  Result<std::string> put(const std::string& key, const std::string& data,
                          bool if_absent) override {
    ENVMON_TRY(validate_key(key));
    if (if_absent) {
      auto there = exists(key);
      if (!there.ok()) return there.error();
      if (*there) return Error(Errc::lake_exists, "object '" + key + "' already exists");
    }
    if (static_cast<int64_t>(data.size()) >= client_->config().multipart_threshold_bytes)
      ENVMON_TRY(put_multipart(key, data));
    else
      ENVMON_TRY(put_single(key, data, if_absent));
    return sha256_hex(data);
  }

  Result<std::string> get(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    auto r = client_->send({"GET", prefix_ + key, {}, {}, {}});
    if (!r.ok()) return r.error();
    if (r->status == 404) return Error(Errc::not_found, "object '" + key + "' not found");
    if (r->status != 200) return status_error("S3 GET " + key, *r);
    return std::move(r->body);
  }

  Result<std::vector<ObjectInfo>> list(const std::string& prefix) override;

  Result<bool> exists(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    auto r = client_->send({"HEAD", prefix_ + key, {}, {}, {}});
    if (!r.ok()) return r.error();
    if (r->status == 404) return false;
    if (r->status != 200) return status_error("S3 HEAD " + key, *r);
    return true;
  }

  Status remove(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    auto r = client_->send({"DELETE", prefix_ + key, {}, {}, {}});
    if (!r.ok()) return r.error();
    if (r->status != 204 && r->status != 200 && r->status != 404)
      return status_error("S3 DELETE " + key, *r);
    return ok_status();
  }

 private:
  Status put_single(const std::string& key, const std::string& data, bool if_absent) {
    S3Request req{"PUT", prefix_ + key, {}, {{"content-md5", md5_base64(data)}}, data};
    if (if_absent) req.headers.emplace_back("if-none-match", "*");
    auto r = client_->send(req);
    if (!r.ok()) {
      // A try that landed before its answer was lost: the object is there, with our content
      // (the name carries its hash). The caller treats lake_exists as written.
      if (if_absent) {
        auto there = exists(key);
        if (there.ok() && *there) return Error(Errc::lake_exists, "object '" + key + "' written");
      }
      return r.error();
    }
    if (r->status == 412 || (if_absent && r->status == 409))
      return Error(Errc::lake_exists, "object '" + key + "' already exists");
    if (r->status != 200) return status_error("S3 PUT " + key, *r);
    return ok_status();
  }

  Status put_multipart(const std::string& key, const std::string& data);

  std::unique_ptr<S3Client> client_;
  std::string prefix_;
};

Status S3ObjectStore::put_multipart(const std::string& key, const std::string& data) {
  const std::string full = prefix_ + key;
  auto created = client_->send({"POST", full, {{"uploads", ""}}, {}, {}});
  if (!created.ok()) return created.error();
  if (created->status != 200) return status_error("S3 CreateMultipartUpload " + key, *created);
  const std::string upload_id = xml_text(created->body, "UploadId");
  if (upload_id.empty()) return Error(Errc::lake_io, "S3 CreateMultipartUpload " + key + ": no UploadId");
  auto abort = [&](Error e) {
    (void)client_->send({"DELETE", full, {{"uploadId", upload_id}}, {}, {}});
    return e;
  };
  std::string complete = "<CompleteMultipartUpload>";
  const auto part_bytes = static_cast<size_t>(client_->config().multipart_part_bytes);
  int part = 1;
  for (size_t off = 0; off < data.size(); off += part_bytes, ++part) {
    const std::string body = data.substr(off, part_bytes);
    auto r = client_->send({"PUT", full,
                            {{"partNumber", std::to_string(part)}, {"uploadId", upload_id}},
                            {{"content-md5", md5_base64(body)}}, body});
    if (!r.ok()) return abort(r.error());
    if (r->status != 200) return abort(status_error("S3 UploadPart " + key, *r));
    complete += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" +
                r->headers["etag"] + "</ETag></Part>";
  }
  complete += "</CompleteMultipartUpload>";
  auto done = client_->send({"POST", full, {{"uploadId", upload_id}}, {}, complete});
  if (!done.ok()) return abort(done.error());
  // CompleteMultipartUpload can answer 200 with an <Error> body.
  if (done->status != 200 || done->body.find("<Error>") != std::string::npos)
    return abort(status_error("S3 CompleteMultipartUpload " + key, *done));
  return ok_status();
}

Result<std::vector<ObjectInfo>> S3ObjectStore::list(const std::string& prefix) {
  std::vector<ObjectInfo> out;
  std::string token;
  for (;;) {
    S3Request req{"GET", "", {{"list-type", "2"}, {"prefix", prefix_ + prefix},
                              {"max-keys", std::to_string(client_->config().list_page_size)}},
                  {}, {}};
    if (!token.empty()) req.query.emplace_back("continuation-token", token);
    auto r = client_->send(req);
    if (!r.ok()) return r.error();
    if (r->status != 200) return status_error("S3 ListObjectsV2 " + prefix, *r);
    size_t pos = 0;
    for (;;) {
      const std::string item = xml_text(r->body, "Contents", &pos);
      if (item.empty()) break;
      std::string key = xml_text(item, "Key");
      // Keys ending in '/' are directory markers (S3Proxy's filesystem backend lists its
      // directories); envmon keys never end in '/'.
      if (key.rfind(prefix_, 0) != 0 || key.empty() || key.back() == '/') continue;
      key.erase(0, prefix_.size());
      out.push_back({std::move(key), std::atoll(xml_text(item, "Size").c_str()), ""});
    }
    if (xml_text(r->body, "IsTruncated") != "true") break;
    token = xml_text(r->body, "NextContinuationToken");
    if (token.empty())
      return Error(Errc::lake_io, "S3 ListObjectsV2 " + prefix + ": truncated without a token");
  }
  // S3 lists in UTF-8 binary order already; sorting keeps the file store's contract anyway.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

}  // namespace

std::unique_ptr<ObjectStore> make_s3_object_store(std::unique_ptr<S3Client> client) {
  return std::make_unique<S3ObjectStore>(std::move(client));
}

Result<SigningKey> credentials_from_env(const S3Config& config) {
  SigningKey key;
  for (auto [name, out] : {std::pair{&config.access_key_env, &key.access_key},
                           std::pair{&config.secret_key_env, &key.secret_key}}) {
    const char* v = std::getenv(name->c_str());
    if (v == nullptr || *v == '\0')
      return Error(Errc::config_env_missing,
                   "S3 credentials: environment variable " + *name + " is not set");
    *out = v;
  }
  key.region = config.region;
  return key;
}

Result<std::unique_ptr<RawLake>> make_s3_lake(const config::Node& settings) {
  auto s3 = parse_s3_config(settings);
  if (!s3.ok()) return s3.error();
  std::vector<std::string> s3_keys;
  for (const auto& f : s3_schema().specs())
    s3_keys.push_back(f.key);
  auto raw = parse_raw_lake_config(settings, s3_keys);
  if (!raw.ok()) return raw.error();
  auto key = credentials_from_env(*s3);
  if (!key.ok()) return key.error();
  auto client = std::make_unique<S3Client>(*s3, std::move(*key));
  return std::make_unique<RawLake>(make_s3_object_store(std::move(client)), *raw);
}

}  // namespace envmon::lake::s3
