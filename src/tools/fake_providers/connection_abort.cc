#include "tools/fake_providers/connection_abort.h"

#include <cstdlib>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace envmon::fake_providers {
namespace {

int port_of(const sockaddr_storage& addr) {
  if (addr.ss_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &addr, sizeof in);
    return ntohs(in.sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &addr, sizeof in6);
    return ntohs(in6.sin6_port);
  }
  return -1;
}

bool matches(int fd, int local_port, int remote_port) {
  sockaddr_storage local{};
  sockaddr_storage peer{};
  socklen_t len = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return false;
  len = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return false;
  return port_of(local) == local_port && port_of(peer) == remote_port;
}

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};

}  // namespace

int find_connection(int local_port, int remote_port) {
  const std::unique_ptr<DIR, DirCloser> dir(opendir("/proc/self/fd"));
  if (!dir) return -1;
  while (const dirent* entry = readdir(dir.get())) {
    const int fd = std::atoi(entry->d_name);
    if (fd > 2 && matches(fd, local_port, remote_port)) return fd;
  }
  return -1;
}

void cut_connection(int fd) {
  // Linger 0 turns the later close() by cpp-httplib into an RST; shutdown() makes the client
  // see the end of the stream now, before any byte of a response.
  const linger no_linger{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
  shutdown(fd, SHUT_RDWR);
}

}  // namespace envmon::fake_providers
