#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "lake/object_store.h"

namespace envmon::lake {

// An ObjectStore on a local directory. Every put writes a temporary file, fsyncs it and then
// publishes it atomically: rename() for overwrites, link() for if_absent (fails with EEXIST, so
// two writers can never both win). Readers never see a partial object.
std::unique_ptr<ObjectStore> make_file_object_store(const std::string& root);

// Keys are relative '/'-separated paths: no empty, "." or ".." segments, no leading '/', no NUL
// or backslash. Returns invalid_argument naming the key otherwise.
Status validate_key(const std::string& key);

// SHA-256 of `data` as lower-case hex (OpenSSL EVP).
std::string sha256_hex(std::string_view data);

}  // namespace envmon::lake
