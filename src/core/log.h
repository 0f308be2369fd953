#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace envmon {

enum class LogLevel { debug, info, warn, error };

// Structured logging: one line per event, `ts=... level=... component=kind:type:name msg="..." k=v`.
// Secrets never reach here: config values marked secret are redacted before they can be logged.
struct LogField {
  std::string_view key;
  std::string value;
  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  template <typename N>
    requires std::is_arithmetic_v<N>
  LogField(std::string_view k, N v) : key(k), value(std::to_string(v)) {}
};

void set_log_level(LogLevel level);
LogLevel log_level();
// Redirects log output to a file (for tests); empty path restores stderr.
void set_log_file(const std::string& path);

void log_line(LogLevel level, std::string_view component, std::string_view msg,
              std::initializer_list<LogField> fields);

// A logger bound to one component instance, e.g. Logger("source:simulator:sim").
class Logger {
 public:
  explicit Logger(std::string component) : component_(std::move(component)) {}
  void debug(std::string_view msg, std::initializer_list<LogField> f = {}) const {
    if (log_level() <= LogLevel::debug) log_line(LogLevel::debug, component_, msg, f);
  }
  void info(std::string_view msg, std::initializer_list<LogField> f = {}) const {
    log_line(LogLevel::info, component_, msg, f);
  }
  void warn(std::string_view msg, std::initializer_list<LogField> f = {}) const {
    log_line(LogLevel::warn, component_, msg, f);
  }
  void error(std::string_view msg, std::initializer_list<LogField> f = {}) const {
    log_line(LogLevel::error, component_, msg, f);
  }
  const std::string& component() const { return component_; }

 private:
  std::string component_;
};

}  // namespace envmon
