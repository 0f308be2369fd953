#pragma once

#include <filesystem>

#include "core/result.h"
#include "core/time.h"

namespace envmon::registry::file {

// An advisory lock on `<root>/.lock` (flock): exclusive for read-modify-write, shared for reads.
// flock locks belong to the open file, so threads of one process exclude each other as well as
// other processes. Released when the object goes away.
class RegistryLock {
 public:
  enum class Mode { shared, exclusive };
  static Result<RegistryLock> acquire(const std::filesystem::path& root, Mode mode, Millis timeout);

  RegistryLock(RegistryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RegistryLock& operator=(RegistryLock&&) = delete;
  RegistryLock(const RegistryLock&) = delete;
  ~RegistryLock();

 private:
  explicit RegistryLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace envmon::registry::file
