#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace envmon::app {

// Parsed command line: positional words and --flags. Every command declares the flags it
// takes; anything else is an error listing them.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;  // "--port 8080" and "--port=8080" -> {"port","8080"}

  std::optional<std::string> get(const std::string& flag) const;
  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  Result<double> number(const std::string& flag, double fallback, double min, double max) const;
};

// `valued` flags take a value; `switches` do not.
Result<Args> parse_args(const std::vector<std::string>& words,
                        const std::vector<std::string>& valued,
                        const std::vector<std::string>& switches);

}  // namespace envmon::app
