#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace envmon::registry::file {

// The registry's few file operations under one root. Writes go to a temporary file that is
// fsynced and then published: rename() to replace, link() for write-once (EEXIST = taken), so a
// reader never sees half a file and a crash leaves either the old or the new one.
class RegistryFiles {
 public:
  explicit RegistryFiles(std::filesystem::path root) : root_(std::move(root)) {}

  enum class Publish { replace, write_once };
  // invalid_argument if `rel` exists and mode is write_once.
  Status write(const std::string& rel, std::string_view data, Publish mode) const;
  // not_found if absent.
  Result<std::string> read(const std::string& rel) const;
  bool exists(const std::string& rel) const;
  // Relative paths of regular files under `dir` (recursive) whose name is `file_name`, or every
  // file when `file_name` is empty; sorted. An absent directory is empty.
  Result<std::vector<std::string>> find(const std::string& dir, const std::string& file_name) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace envmon::registry::file
