#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace envmon::registry {

// The versioned format every saved model shares, so a loader can refuse what it cannot read
// before looking inside:
//   {"format":"envmon-model","kind":"kmeans","version":1,"body":{...}}
// `kind` names the model family, `version` the layout of `body` (each family bumps its own).
struct ModelEnvelope {
  std::string kind;
  int64_t version = 0;
  std::string body_json;  // the body object as JSON text
};

std::string wrap_model(std::string_view kind, int64_t version, std::string_view body_json);
// Errors (decode_*) name what is wrong: not JSON, another format, another kind, a version newer
// than `max_version`, a missing body.
Result<ModelEnvelope> unwrap_model(std::string_view bytes, std::string_view expected_kind,
                                   int64_t max_version);

}  // namespace envmon::registry
