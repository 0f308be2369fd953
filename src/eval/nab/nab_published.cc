#include "eval/nab/nab_published.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace envmon::eval::nab {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  return out;
}

// File -> raw score of a `<det>_<profile>_scores.csv` (its Totals row has no file and is left
// out).
Result<std::map<std::string, double>> read_scores(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(Errc::io, path + ": cannot open");
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  const auto column = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    return std::nullopt;
  };
  const auto file_col = column("File"), score_col = column("Score");
  if (!file_col || !score_col) {
    return Error(Errc::decode_field, path + ":1: expected columns File and Score");
  }
  std::map<std::string, double> out;
  for (size_t n = 2; std::getline(in, line); ++n) {
    const auto cells = split(line);
    if (cells.size() <= std::max(*file_col, *score_col) || cells[*file_col].empty()) continue;
    const std::string& text = cells[*score_col];
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      return Error(Errc::decode_field,
                   path + ":" + std::to_string(n) + ": Score '" + text + "' is not a number");
    }
    out[cells[*file_col]] = v;
  }
  return out;
}

}  // namespace

Result<std::optional<double>> published_score(const Corpus& corpus, const std::string& dir,
                                              const std::string& detector,
                                              const Profile& profile) {
  const std::string path = dir + "/results/" + detector + "/" + detector + "_" + profile.name +
                           "_scores.csv";
  if (!std::filesystem::exists(path)) return std::optional<double>{};
  auto scores = read_scores(path);
  if (!scores.ok()) return scores.error();
  double raw = 0;
  for (const Series& s : corpus.series) {
    const auto it = scores->find(s.path);
    if (it == scores->end()) {
      return Error(Errc::decode_field, path + ": no row for " + s.path);
    }
    raw += it->second;
  }
  const auto windows = static_cast<double>(corpus.window_count());
  const double null = -profile.a_fn * windows;
  const double perfect = profile.a_tp * windows;
  if (perfect <= null) return Error(Errc::invalid_argument, path + ": the corpus has no windows");
  return std::optional<double>{100.0 * (raw - null) / (perfect - null)};
}

}  // namespace envmon::eval::nab
