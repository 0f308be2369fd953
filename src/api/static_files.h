#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace envmon::api {

struct StaticFile {
  std::string body;
  std::string_view content_type;
  std::string_view cache_control;  // hashed assets are immutable; index.html is revalidated
};

// The built dashboard (web/dist) served from disk. Paths are confined to the directory: any
// ".." segment is refused. Unknown paths without an extension get index.html (client routes).
class StaticFiles {
 public:
  explicit StaticFiles(std::string dir);  // an already resolved directory; may be empty

  bool available() const { return available_; }
  const std::string& dir() const { return dir_; }
  std::optional<StaticFile> lookup(std::string_view path) const;

 private:
  std::optional<StaticFile> read(const std::string& relative) const;

  std::string dir_;
  bool available_ = false;
};

std::string_view content_type_for(std::string_view path);

// The page "/" shows when the dashboard has not been built.
const std::string& not_built_page();

}  // namespace envmon::api
