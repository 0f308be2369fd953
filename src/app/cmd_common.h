#pragma once

#include <memory>
#include <string>

#include "app/cli.h"
#include "config/app_config.h"
#include "core/result.h"
#include "registry/registry.h"

namespace envmon::app {

// What every subcommand shares: the config it runs on (--config FILE, else the embedded
// default), the log level, and how an error reaches the terminal.

// Parses (and, when `validate`, builds and discards every component of) the config.
Result<config::AppConfig> load_app_config(const Args& args, bool validate);
Status apply_log_level(const std::string& level);
// Prints "error: <message>" and returns `exit_code`.
int fail(const Error& e, int exit_code);
// The model registry of --registry DIR (a file registry), else the config's `registry:`.
Result<std::unique_ptr<registry::Registry>> open_registry(const Args& args,
                                                          const config::AppConfig& app);

}  // namespace envmon::app
