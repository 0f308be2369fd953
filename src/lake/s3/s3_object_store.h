#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "config/node.h"
#include "lake/object_store.h"
#include "lake/raw_lake.h"
#include "lake/s3/s3_client.h"
#include "lake/s3/s3_config.h"

namespace envmon::lake::s3 {

// An ObjectStore on an S3 bucket (AWS or an S3-compatible server such as S3Proxy or MinIO):
//   put: PUT with Content-MD5 and the signed SHA-256 of the body (the server checks both);
//        multipart upload (create, parts with Content-MD5, complete; abort on failure) at
//        multipart_threshold_bytes and above. if_absent: HEAD first, then If-None-Match: * so a
//        server that knows conditional writes refuses a concurrent writer too (412 ->
//        lake_exists). A retried PUT whose first try landed finds the object and counts as done.
//   get, exists (HEAD), remove (DELETE), list: ListObjectsV2 pages (list_page_size keys each)
//        followed by continuation token.
// Keys are validated like the file store's; the configured prefix is prepended and stripped.
std::unique_ptr<ObjectStore> make_s3_object_store(std::unique_ptr<S3Client> client);

// Reads the credentials from the environment variables the config names. Missing -> a
// config_env_missing error naming the variable (never its value).
Result<SigningKey> credentials_from_env(const S3Config& config);

// The S3 lake: a RawLake over make_s3_object_store, from `lake.s3` settings (S3 keys + the raw
// lake's keys). Reads the credentials from the environment; connects to nothing.
Result<std::unique_ptr<RawLake>> make_s3_lake(const config::Node& settings);

}  // namespace envmon::lake::s3
