#include "app/cmd_common.h"

#include <iostream>

#include "app/components.h"
#include "config/node.h"
#include "registry/file/file_registry_config.h"
#include "registry/registry_factory.h"

namespace envmon::app {

Result<config::AppConfig> load_app_config(const Args& args, bool validate) {
  auto path = args.get("config");
  auto node = path
                  ? config::load_file(*path)
                  : config::load_text(config::embedded_default_config(), "<embedded default.yaml>");
  if (!node.ok()) return node.error();
  auto app = config::parse_app_config(*node, known_types());
  if (!app.ok()) return app.error();
  if (validate) ENVMON_TRY(validate_components(*app));
  return app;
}

Status apply_log_level(const std::string& level) {
  if (level == "debug")
    set_log_level(LogLevel::debug);
  else if (level == "info")
    set_log_level(LogLevel::info);
  else if (level == "warn")
    set_log_level(LogLevel::warn);
  else if (level == "error")
    set_log_level(LogLevel::error);
  else
    return Error(Errc::invalid_argument,
                 "log level '" + level + "' (valid: debug, info, warn, error)");
  return ok_status();
}

int fail(const Error& e, int exit_code) {
  std::cerr << "error: " << e.message() << "\n";
  return exit_code;
}

Result<std::unique_ptr<registry::Registry>> open_registry(const Args& args,
                                                          const config::AppConfig& app) {
  if (auto dir = args.get("registry")) {
    registry::file::FileRegistryConfig cfg;
    cfg.path = *dir;
    return registry::file::make_file_registry(cfg);
  }
  return registry::make_registry(app.registry, app.data_dir);
}

}  // namespace envmon::app
