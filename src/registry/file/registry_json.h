#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "registry/registry.h"

namespace envmon::registry::file {

// The JSON documents of the file backend. Every decode error names the file (`where`) and the
// field, so a hand-edited or truncated registry file is reported, never half-read.
using Json = nlohmann::json;

Result<Json> parse_doc(const std::string& text, const std::string& where);

Json experiment_to_json(const Experiment& e);
Result<Experiment> experiment_from_json(const Json& j, const std::string& where);

Json run_to_json(const Run& r);
Result<Run> run_from_json(const Json& j, const std::string& where);

Json model_version_to_json(const ModelVersion& mv);  // aliases live in aliases.json
Result<ModelVersion> model_version_from_json(const Json& j, const std::string& where);

// {"alias": version, ...}
Result<std::map<std::string, int64_t>> aliases_from_json(const Json& j, const std::string& where);

}  // namespace envmon::registry::file
