#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "registry/registry.h"

namespace envmon::registry::file {

// `registry: {type: file, file: {path: registry}}`: an mlruns-like directory tree.
struct FileRegistryConfig {
  std::string path = "registry";  // relative paths are resolved against data_dir
  int64_t lock_timeout_ms = 30000;
};

const config::Schema<FileRegistryConfig>& file_registry_schema();
std::vector<config::SchemaDoc> file_registry_schema_docs();
Result<FileRegistryConfig> parse_file_registry_config(const config::Node& settings);

// Validates the settings and resolves the path; creates nothing until the first write.
Result<std::unique_ptr<Registry>> make_file_registry(const config::Node& settings,
                                                     const std::string& data_dir);
// The same from a filled struct (tests, tools). `path` is used as given.
std::unique_ptr<Registry> make_file_registry(const FileRegistryConfig& config);

}  // namespace envmon::registry::file
