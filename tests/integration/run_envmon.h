#pragma once
// Runs the real `envmon` binary (ENVMON_BINARY) as a user would and captures what it prints.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace envmon::testing {

struct CommandRun {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline CommandRun run_envmon(const std::string& args) {
  CommandRun r;
  const std::string cmd = std::string(ENVMON_BINARY) + " " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe.get()))
    r.output.append(buf.data(), n);
  const int rc = pclose(pipe.release());
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

}  // namespace envmon::testing
