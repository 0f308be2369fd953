#include "app/cli.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace envmon::app {

std::optional<std::string> Args::get(const std::string& flag) const {
  auto it = flags.find(flag);
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

Result<double> Args::number(const std::string& flag, double fallback, double min,
                            double max) const {
  auto text = get(flag);
  if (!text) return fallback;
  char* end = nullptr;
  const double v = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(v)) {
    return Error(Errc::invalid_argument, "--" + flag + ": expected a number, got '" + *text + "'");
  }
  if (v < min || v > max) {
    return Error(Errc::invalid_argument, "--" + flag + ": " + *text + " is out of range [" +
                                             std::to_string(min) + ", " + std::to_string(max) +
                                             "]");
  }
  return v;
}

namespace {

std::string list_flags(const std::vector<std::string>& valued,
                       const std::vector<std::string>& switches) {
  std::string out;
  for (const auto& f : valued)
    out += (out.empty() ? "--" : ", --") + f + " VALUE";
  for (const auto& f : switches)
    out += (out.empty() ? "--" : ", --") + f;
  return out.empty() ? "(none)" : out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Result<Args> parse_args(const std::vector<std::string>& words,
                        const std::vector<std::string>& valued,
                        const std::vector<std::string>& switches) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0 || w == "--") {
      args.positional.push_back(w);
      continue;
    }
    std::string name = w.substr(2);
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (contains(switches, name)) {
      if (value) return Error(Errc::invalid_argument, "--" + name + " takes no value");
      args.flags[name] = "true";
    } else if (contains(valued, name)) {
      if (!value) {
        if (i + 1 >= words.size())
          return Error(Errc::invalid_argument, "--" + name + " needs a value");
        value = words[++i];
      }
      args.flags[name] = *value;
    } else {
      return Error(Errc::invalid_argument,
                   "unknown option --" + name + "; valid options: " + list_flags(valued, switches));
    }
  }
  return args;
}

}  // namespace envmon::app
