#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "core/time.h"

namespace envmon {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};
std::mutex g_mutex;
FILE* g_out = nullptr;  // nullptr means stderr

std::string_view level_name(LogLevel l) {
  switch (l) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  }
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out.append("\\n");
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

void set_log_level(LogLevel level) { g_level.store(level); }
LogLevel log_level() { return g_level.load(std::memory_order_relaxed); }

void set_log_file(const std::string& path) {
  std::lock_guard lock(g_mutex);
  if (g_out != nullptr) std::fclose(g_out);
  g_out = path.empty() ? nullptr : std::fopen(path.c_str(), "a");
}

void log_line(LogLevel level, std::string_view component, std::string_view msg,
              std::initializer_list<LogField> fields) {
  if (level < log_level()) return;
  std::string line;
  line.reserve(128);
  line.append("ts=");
  append_rfc3339(line, std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
  line.append(" level=").append(level_name(level));
  line.append(" component=").append(component);
  line.append(" msg=");
  append_value(line, msg);
  for (const auto& f : fields) {
    line.push_back(' ');
    line.append(f.key).push_back('=');
    append_value(line, f.value);
  }
  line.push_back('\n');
  std::lock_guard lock(g_mutex);
  FILE* out = g_out != nullptr ? g_out : stderr;
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

}  // namespace envmon
