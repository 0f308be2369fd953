#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "registry/registry.h"

namespace envmon::registry {

// The registry of the `registry:` section (`{type: file, file: {path: registry}}`; the file
// backend when the section is absent). Parses and validates; creates nothing on disk.
Result<std::unique_ptr<Registry>> make_registry(const config::BackendSection& section,
                                                const std::string& data_dir);
std::vector<std::string> registry_types();
std::vector<config::SchemaDoc> registry_schema_docs();

}  // namespace envmon::registry
