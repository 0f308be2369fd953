#include "tools/fake_providers/sample_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace envmon::fake_providers {
namespace fs = std::filesystem;

namespace {

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, "cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<SampleStore> SampleStore::load(const std::string& dir) {
  SampleStore store;
  bool any_dir = false;
  for (const char* sub : {"openweathermap", "aqicn", "open-meteo"}) {
    const fs::path folder = fs::path(dir) / sub;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    any_dir = true;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() != ".json") continue;
      auto text = read_file(entry.path());
      if (!text) return text.error();
      auto parsed = BodyTemplate::parse(*text);
      BodyTemplate t =
          parsed ? std::move(parsed).value() : BodyTemplate::verbatim(std::move(*text));
      store.samples_.emplace(std::string(sub) + "/" + entry.path().filename().string(),
                             std::move(t));
    }
  }
  if (!any_dir) {
    return Error(Errc::not_found,
                 "samples dir '" + dir + "' has none of openweathermap/, aqicn/, open-meteo/");
  }
  return store;
}

const BodyTemplate* SampleStore::find(std::string_view key) const {
  const auto it = samples_.find(key);
  return it == samples_.end() ? nullptr : &it->second;
}

}  // namespace envmon::fake_providers
