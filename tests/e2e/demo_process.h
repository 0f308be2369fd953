#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace envmon::e2e {

// A running `envmon` process started the way a user would start it.
class DemoProcess {
 public:
  explicit DemoProcess(std::vector<std::string> args, const std::string& log_path);
  ~DemoProcess();
  DemoProcess(const DemoProcess&) = delete;
  DemoProcess& operator=(const DemoProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig);
  // Waits for exit; returns the exit status (or 128+signal), -1 on timeout.
  int wait(std::chrono::seconds timeout);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// A TCP port nobody listens on right now.
int free_port();
// GET http://127.0.0.1:port/path; returns status (0 when unreachable) and fills body.
int http_get(int port, const std::string& path, std::string& body);
// Polls /ready until 200 or the timeout.
bool wait_ready(int port, std::chrono::seconds timeout);
std::string make_temp_dir(const std::string& prefix);
std::string read_file(const std::string& path);

}  // namespace envmon::e2e
