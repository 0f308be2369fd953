#include "registry/registry_factory.h"

#include "registry/file/file_registry_config.h"

namespace envmon::registry {

Result<std::unique_ptr<Registry>> make_registry(const config::BackendSection& section,
                                                const std::string& data_dir) {
  // "file" is the only backend so far; parse_app_config has already refused other types.
  return file::make_file_registry(section.settings, data_dir);
}

std::vector<std::string> registry_types() { return {"file"}; }

std::vector<config::SchemaDoc> registry_schema_docs() { return file::file_registry_schema_docs(); }

}  // namespace envmon::registry
