#include "lake/file/file_object_store.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace envmon::lake {
namespace fs = std::filesystem;

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(len) * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

Status validate_key(const std::string& key) {
  auto bad = [&](const char* why) {
    return Error(Errc::invalid_argument, "object key '" + key + "': " + why);
  };
  if (key.empty()) return bad("empty");
  if (key.front() == '/') return bad("absolute paths are not allowed");
  if (key.find('\0') != std::string::npos || key.find('\\') != std::string::npos) {
    return bad("NUL and backslash are not allowed");
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    const std::string_view seg(key.data() + start, end - start);
    if (seg.empty()) return bad("empty path segment");
    if (seg == "." || seg == "..") return bad("'.' and '..' segments are not allowed");
    if (seg.find(".tmp-") != std::string_view::npos) return bad("'.tmp-' is reserved");
    start = end + 1;
  }
  return ok_status();
}

namespace {

Error io_error(const std::string& what, const fs::path& p, int err) {
  // Transient failures (disk full, interrupted) are retryable; the caller backs off.
  const bool retry = err == ENOSPC || err == EINTR || err == EAGAIN || err == EIO;
  return Error(Errc::lake_io, what + " " + p.string() + ": " + std::strerror(err),
               retry ? Retryable::yes : Retryable::no);
}

Status write_all_and_sync(const fs::path& p, const std::string& data) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("creating", p, errno);
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return io_error("writing", p, err);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return io_error("fsync", p, err);
  }
  ::close(fd);
  return ok_status();
}

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

class FileObjectStore final : public ObjectStore {
 public:
  explicit FileObjectStore(std::string root) : root_(std::move(root)) {}

  Result<std::string> put(const std::string& key, const std::string& data,
                          bool if_absent) override {
    ENVMON_TRY(validate_key(key));
    const fs::path target = root_ / key;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return io_error("creating directory", target.parent_path(), ec.value());
    const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                         std::to_string(counter_.fetch_add(1));
    if (Status s = write_all_and_sync(tmp, data); !s.ok()) {
      ::unlink(tmp.c_str());
      return s.error();
    }
    if (Status s = publish(tmp, target, if_absent, key); !s.ok()) return s.error();
    sync_dir(target.parent_path());
    return sha256_hex(data);
  }

  Result<std::string> get(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    std::ifstream in(root_ / key, std::ios::binary);
    if (!in) return Error(Errc::not_found, "object '" + key + "' not found");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  Result<std::vector<ObjectInfo>> list(const std::string& prefix) override;

  Result<bool> exists(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    struct stat st {};
    return ::stat((root_ / key).c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }

  Status remove(const std::string& key) override {
    ENVMON_TRY(validate_key(key));
    const fs::path p = root_ / key;
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return io_error("deleting", p, errno);
    sync_dir(p.parent_path());
    return ok_status();
  }

 private:
  static Status publish(const fs::path& tmp, const fs::path& target, bool if_absent,
                        const std::string& key) {
    if (!if_absent) {
      if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return io_error("renaming to", target, err);
      }
      return ok_status();
    }
    const int rc = ::link(tmp.c_str(), target.c_str());
    const int err = errno;
    ::unlink(tmp.c_str());
    if (rc == 0) return ok_status();
    if (err == EEXIST) return Error(Errc::lake_exists, "object '" + key + "' already exists");
    return io_error("linking", target, err);
  }

  fs::path root_;
  std::atomic<uint64_t> counter_{0};
};

Result<std::vector<ObjectInfo>> FileObjectStore::list(const std::string& prefix) {
  std::vector<ObjectInfo> out;
  // Walk only the deepest directory the prefix names, not the whole store.
  const size_t slash = prefix.rfind('/');
  const fs::path start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(start, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string key = fs::relative(it->path(), root_, ec).generic_string();
    if (key.find(".tmp-") != std::string::npos || key.rfind(prefix, 0) != 0) continue;
    out.push_back({std::move(key), static_cast<int64_t>(it->file_size(ec)), ""});
  }
  if (ec) return io_error("listing", start, ec.value());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

}  // namespace

std::unique_ptr<ObjectStore> make_file_object_store(const std::string& root) {
  return std::make_unique<FileObjectStore>(root);
}

}  // namespace envmon::lake
