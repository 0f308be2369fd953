#include "registry/file/registry_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace envmon::registry::file {

namespace fs = std::filesystem;

namespace {

Error sys_error(std::string_view what, const fs::path& p, int err) {
  return Error(Errc::io, "registry: " + std::string(what) + " " + p.string() + ": " +
                             std::strerror(err));
}

Status write_synced(const fs::path& p, std::string_view data) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("creating", p, errno);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return sys_error("writing", p, err);
    }
    done += static_cast<size_t>(n);
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return sys_error("syncing", p, err);
  return ok_status();
}

}  // namespace

Status RegistryFiles::write(const std::string& rel, std::string_view data, Publish mode) const {
  static std::atomic<uint64_t> counter{0};
  const fs::path target = root_ / rel;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return sys_error("creating directory", target.parent_path(), ec.value());
  const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1));
  if (Status s = write_synced(tmp, data); !s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  const int rc = mode == Publish::replace ? ::rename(tmp.c_str(), target.c_str())
                                          : ::link(tmp.c_str(), target.c_str());
  const int err = errno;
  if (mode == Publish::write_once || rc != 0) ::unlink(tmp.c_str());
  if (rc == 0) return ok_status();
  if (err == EEXIST) return Error(Errc::invalid_argument, "registry: " + rel + " already exists");
  return sys_error("publishing", target, err);
}

Result<std::string> RegistryFiles::read(const std::string& rel) const {
  std::ifstream in(root_ / rel, std::ios::binary);
  if (!in) return Error(Errc::not_found, "registry: " + rel + " not found");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool RegistryFiles::exists(const std::string& rel) const {
  std::error_code ec;
  return fs::is_regular_file(root_ / rel, ec);
}

Result<std::vector<std::string>> RegistryFiles::find(const std::string& dir,
                                                     const std::string& file_name) const {
  std::vector<std::string> out;
  const fs::path start = root_ / dir;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(start, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || name.find(".tmp-") != std::string::npos) continue;
    if (file_name.empty() || name == file_name)
      out.push_back(fs::relative(it->path(), root_, ec).generic_string());
  }
  if (ec) return sys_error("listing", start, ec.value());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace envmon::registry::file
