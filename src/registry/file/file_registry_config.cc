#include "registry/file/file_registry_config.h"

#include <filesystem>

namespace envmon::registry::file {

const config::Schema<FileRegistryConfig>& file_registry_schema() {
  static const config::Schema<FileRegistryConfig> schema = [] {
    config::Schema<FileRegistryConfig> s("registry.file");
    s.string("path", &FileRegistryConfig::path, std::string("registry"),
             "Registry directory (experiments, runs, artifacts, models); relative to data_dir")
        .integer("lock_timeout_ms", &FileRegistryConfig::lock_timeout_ms, 30000, "ms", 0, 3600000,
                 "How long a write waits for another process holding the registry lock");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> file_registry_schema_docs() {
  return {{"registry.file",
           "Model registry on the local filesystem: MLflow's experiments, runs, parameters, "
           "metrics, artifacts and registered models with versions and aliases",
           file_registry_schema().specs()}};
}

Result<FileRegistryConfig> parse_file_registry_config(const config::Node& settings) {
  FileRegistryConfig out;
  ENVMON_TRY(config::fill(settings, file_registry_schema(), out));
  if (out.path.empty()) {
    return settings.child("path").error(Errc::config_bad_value, "must not be empty");
  }
  return out;
}

Result<std::unique_ptr<Registry>> make_file_registry(const config::Node& settings,
                                                     const std::string& data_dir) {
  auto cfg = parse_file_registry_config(settings);
  if (!cfg.ok()) return cfg.error();
  const std::filesystem::path p(cfg->path);
  if (p.is_relative()) cfg->path = (std::filesystem::path(data_dir) / p).lexically_normal().string();
  return make_file_registry(*cfg);
}

}  // namespace envmon::registry::file
