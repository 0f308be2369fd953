#pragma once

#include <string>

#include "app/cli.h"
#include "config/app_config.h"
#include "core/result.h"

namespace envmon::app {

// What every subcommand shares: the config it runs on (--config FILE, else the embedded
// default), the log level, and how an error reaches the terminal.

// Parses (and, when `validate`, builds and discards every component of) the config.
Result<config::AppConfig> load_app_config(const Args& args, bool validate);
Status apply_log_level(const std::string& level);
// Prints "error: <message>" and returns `exit_code`.
int fail(const Error& e, int exit_code);

}  // namespace envmon::app
