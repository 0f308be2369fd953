#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace envmon::bench_kafka {

// One figure as a JSON line on stdout (the only thing the bench writes to stdout).
inline void print_figure(const char* name, double value, const char* unit) {
  std::printf("{\"name\":\"%s\",\"value\":%.6g,\"unit\":\"%s\"}\n", name, value, unit);
  std::fflush(stdout);
}

// User + system CPU seconds of this whole process (every thread, librdkafka's included).
inline double process_cpu_secs() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

inline double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
}

// CPU seconds of another process (the broker) from /proc/<pid>/stat; -1 when unreadable.
inline double other_cpu_secs(int64_t pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  const auto close = line.rfind(')');  // the command name may contain spaces
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  // Fields after the name start at 3 (state); utime is field 14, stime 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of the live threads of process `pid` (0: this one), summed by thread name with
// digits dropped ("C2 CompilerThre", "rdk:broker", "data-plane-kafka-request-handler-"): shows
// where the CPU of a phase went, librdkafka's threads and the broker JVM's JIT/GC included.
inline std::map<std::string, double> thread_cpu(int64_t pid) {
  std::map<std::string, double> out;
  const std::string dir = "/proc/" + (pid > 0 ? std::to_string(pid) : std::string("self")) + "/task";
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream in(task.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::string name;
    for (char c : line.substr(open + 1, close - open - 1))
      if (c < '0' || c > '9') name += c;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
      if (i == 14 || i == 15) ticks += std::stod(field);
    out[name] += ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return out;
}

// "name=secs ..." of what each thread group used between `before` and `after`, largest first.
inline std::string thread_cpu_delta(const std::map<std::string, double>& before,
                                    const std::map<std::string, double>& after) {
  std::vector<std::pair<double, std::string>> used;
  for (const auto& [name, secs] : after) {
    const auto it = before.find(name);
    const double d = secs - (it == before.end() ? 0 : it->second);
    if (d >= 0.005) used.emplace_back(d, name);
  }
  std::sort(used.rbegin(), used.rend());
  std::string out;
  char buf[128];
  for (const auto& [secs, name] : used) {
    std::snprintf(buf, sizeof buf, " %s=%.2f", name.c_str(), secs);
    out += buf;
  }
  return out;
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace envmon::bench_kafka
