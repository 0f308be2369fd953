#include "registry/file/registry_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

namespace envmon::registry::file {

Result<RegistryLock> RegistryLock::acquire(const std::filesystem::path& root, Mode mode,
                                           Millis timeout) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return Error(Errc::io, "registry: creating " + root.string() + ": " + ec.message());
  const auto path = root / ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Error(Errc::io, "registry: opening " + path.string() + ": " + std::strerror(errno));
  RegistryLock lock(fd);
  const int op = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Polling with a short sleep rather than a blocking flock: a timeout needs no signals.
  while (::flock(fd, op) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      return Error(Errc::io, "registry: locking " + path.string() + ": " + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline)
      return Error(Errc::io, "registry: " + path.string() + " held by another process for " +
                                 std::to_string(timeout.count()) + " ms", Retryable::yes);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return lock;
}

RegistryLock::~RegistryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace envmon::registry::file
