#include "api/static_files.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace envmon::api {

namespace {

struct TypeByExtension {
  std::string_view ext;
  std::string_view type;
};
constexpr std::array<TypeByExtension, 18> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
    {".wasm", "application/wasm"},
}};

bool is_safe(std::string_view path) {
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    if (path.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

bool has_extension(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return last.find('.') != std::string_view::npos;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  for (const auto& t : kTypes) {
    if (path.ends_with(t.ext)) return t.type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  available_ = !dir_.empty() && std::filesystem::is_regular_file(
                                    std::filesystem::path(dir_) / "index.html", ec);
}

std::optional<StaticFile> StaticFiles::read(const std::string& relative) const {
  const std::filesystem::path file = std::filesystem::path(dir_) / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  const bool immutable = relative.starts_with("assets/");
  return StaticFile{std::move(body).str(), content_type_for(relative),
                    immutable ? "public, max-age=31536000, immutable" : "no-cache"};
}

std::optional<StaticFile> StaticFiles::lookup(std::string_view path) const {
  if (!available_ || !is_safe(path)) return std::nullopt;
  std::string relative(path.starts_with('/') ? path.substr(1) : path);
  if (relative.empty() || relative.ends_with('/')) relative += "index.html";
  if (auto file = read(relative)) return file;
  if (!has_extension(relative)) return read("index.html");  // client-side route of the SPA
  return std::nullopt;
}

const std::string& not_built_page() {
  static const std::string page =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>envmon</title></head><body style=\"font-family:sans-serif;max-width:40em;"
      "margin:3em auto\">\n<h1>envmon is running</h1>\n"
      "<p>The web dashboard is not built, so there is nothing to show here yet. Build it from "
      "the repository root with:</p>\n"
      "<pre>npm --prefix web ci &amp;&amp; npm --prefix web run build</pre>\n"
      "<p>then restart envmon (or set <code>api.web_dir</code> to the built "
      "<code>web/dist</code> directory).</p>\n"
      "<p>The API works meanwhile: <a href=\"/api/v1/stations\">/api/v1/stations</a>, "
      "<a href=\"/api/v1/metrics\">/api/v1/metrics</a>, <a href=\"/health\">/health</a>, "
      "<a href=\"/metrics\">/metrics</a>.</p>\n</body></html>\n";
  return page;
}

}  // namespace envmon::api
