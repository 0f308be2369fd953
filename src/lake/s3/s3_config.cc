#include "lake/s3/s3_config.h"

#include "lake/raw_lake_config.h"

namespace envmon::lake::s3 {

const config::Schema<S3Config>& s3_schema() {
  static const config::Schema<S3Config> schema = [] {
    config::Schema<S3Config> s("lake.s3");
    s.string("endpoint", &S3Config::endpoint, std::string("http://127.0.0.1:18480"),
             "S3 endpoint URL (http or https), e.g. https://s3.eu-west-1.amazonaws.com")
        .string("bucket", &S3Config::bucket, std::string("envmon"), "Bucket (must exist)")
        .string("prefix", &S3Config::prefix, std::string(""),
                "Key prefix inside the bucket, e.g. 'envmon/' (empty: the bucket root)")
        .string("region", &S3Config::region, std::string("us-east-1"), "Signing region")
        .enumeration("addressing", &S3Config::addressing, Addressing::path,
                     {{"path", Addressing::path}, {"virtual_hosted", Addressing::virtual_hosted}},
                     "path: endpoint/bucket/key (local servers); virtual_hosted: bucket.host/key")
        .string("access_key_env", &S3Config::access_key_env, std::string("AWS_ACCESS_KEY_ID"),
                "Environment variable holding the access key id")
        .string("secret_key_env", &S3Config::secret_key_env,
                std::string("AWS_SECRET_ACCESS_KEY"),
                "Environment variable holding the secret key (never logged)")
        .integer("multipart_threshold_bytes", &S3Config::multipart_threshold_bytes, 16 << 20,
                 "bytes", 5 << 20, 5LL << 30, "Objects at least this big are uploaded in parts")
        .integer("multipart_part_bytes", &S3Config::multipart_part_bytes, 8 << 20, "bytes",
                 5 << 20, 5LL << 30, "Part size of multipart uploads (S3's minimum is 5 MiB)")
        .integer("list_page_size", &S3Config::list_page_size, 1000, "keys", 1, 1000,
                 "Keys per ListObjectsV2 page (continuation tokens fetch the rest)")
        .integer("max_attempts", &S3Config::max_attempts, 6, "attempts", 1, 100,
                 "Tries per request on 5xx, 503 SlowDown, 429, timeouts and resets")
        .integer("retry_initial_ms", &S3Config::retry_initial_ms, 200, "ms", 1, 600000,
                 "First backoff (exponential with full jitter)")
        .integer("retry_max_ms", &S3Config::retry_max_ms, 10000, "ms", 1, 3600000,
                 "Longest backoff between tries")
        .integer("connect_timeout_ms", &S3Config::connect_timeout_ms, 5000, "ms", 1, 600000,
                 "TCP/TLS connect timeout")
        .integer("request_timeout_ms", &S3Config::request_timeout_ms, 60000, "ms", 1, 3600000,
                 "Whole-request timeout");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> s3_lake_schema_docs() {
  return {{"lake.s3",
           "Raw (and curated) lake on S3 or an S3-compatible server (SigV4). Also takes the "
           "raw lake keys of lake.file except root, and curated:",
           s3_schema().specs()}};
}

namespace {

std::vector<std::string> keys_of(const std::vector<config::FieldSpec>& specs) {
  std::vector<std::string> out;
  for (const auto& f : specs)
    out.push_back(f.key);
  return out;
}

}  // namespace

Result<S3Config> parse_s3_config(const config::Node& settings) {
  S3Config out;
  std::vector<std::string> others = keys_of(raw_lake_schema().specs());
  others.push_back("curated");
  ENVMON_TRY(config::fill(settings, s3_schema(), out, others));
  if (settings.child("root").defined())
    return settings.child("root").error(Errc::config_unknown_key,
                                        "root is for lake.file; on S3 use bucket and prefix");
  if (out.endpoint.rfind("http://", 0) != 0 && out.endpoint.rfind("https://", 0) != 0)
    return settings.child("endpoint").error(Errc::config_bad_value,
                                            "must start with http:// or https://");
  if (out.bucket.empty())
    return settings.child("bucket").error(Errc::config_bad_value, "must not be empty");
  if (!out.prefix.empty() && out.prefix.back() != '/') out.prefix += '/';
  if (out.retry_max_ms < out.retry_initial_ms)
    return settings.child("retry_max_ms").error(Errc::config_bad_value,
                                                "must be >= retry_initial_ms");
  if (out.multipart_threshold_bytes < out.multipart_part_bytes)
    return settings.child("multipart_threshold_bytes")
        .error(Errc::config_bad_value, "must be >= multipart_part_bytes");
  return out;
}

}  // namespace envmon::lake::s3
