#include "eval/nab/nab_corpus.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include "core/time.h"

namespace envmon::eval::nab {
namespace {

namespace fs = std::filesystem;

Error corpus_error(const std::string& where, const std::string& what) {
  return Error(Errc::invalid_argument, where + ": " + what);
}

Result<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error(Errc::io, p.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool parse_int(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Parses one CSV of `timestamp,value` rows into `out`.
Status read_series_csv(const fs::path& file, Series& out) {
  auto text = read_text(file);
  if (!text.ok()) return text.error();
  std::istringstream in(*text);
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = file.string() + ":" + std::to_string(line_no);
    if (line_no == 1) {
      if (line.rfind("timestamp,value", 0) != 0) {
        return corpus_error(where, "header must be 'timestamp,value', got '" + line + "'");
      }
      continue;
    }
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos) return corpus_error(where, "expected 'timestamp,value'");
    auto t = parse_nab_time(std::string_view(line).substr(0, comma));
    if (!t.ok()) return corpus_error(where, t.error().message());
    const std::string vtext = line.substr(comma + 1);
    double v = 0;
    auto [ptr, ec] = std::from_chars(vtext.data(), vtext.data() + vtext.size(), v);
    if (ec != std::errc() || ptr != vtext.data() + vtext.size() || !std::isfinite(v)) {
      return corpus_error(where, "value '" + vtext + "' is not a finite number");
    }
    out.unix_secs.push_back(*t);
    out.values.push_back(v);
  }
  if (out.values.empty()) return corpus_error(file.string(), "no rows");
  return ok_status();
}

using WindowTimes = std::map<std::string, std::vector<std::pair<int64_t, int64_t>>>;

Result<WindowTimes> read_windows(const fs::path& file) {
  auto text = read_text(file);
  if (!text.ok()) return text.error();
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(*text).get(root)) return corpus_error(file.string(), "not a JSON object");
  WindowTimes out;
  for (auto [key, value] : root) {
    const std::string path(key);
    simdjson::dom::array list;
    if (value.get(list)) return corpus_error(file.string(), "'" + path + "' is not a list");
    auto& dst = out[path];
    for (auto pair : list) {
      simdjson::dom::array ends;
      std::string_view a, b;
      if (pair.get(ends) || ends.size() != 2 || ends.at(0).get(a) || ends.at(1).get(b)) {
        return corpus_error(file.string(), "'" + path + "': a window must be [start, end] strings");
      }
      auto ta = parse_nab_time(a);
      auto tb = parse_nab_time(b);
      if (!ta.ok() || !tb.ok() || *tb < *ta) {
        return corpus_error(file.string(), "'" + path + "': bad window [" + std::string(a) +
                                               ", " + std::string(b) + "]");
      }
      dst.emplace_back(*ta, *tb);
    }
  }
  return out;
}

Result<std::vector<Profile>> read_profiles(const fs::path& file) {
  auto text = read_text(file);
  if (!text.ok()) return text.error();
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(*text).get(root)) return corpus_error(file.string(), "not a JSON object");
  std::vector<Profile> out;
  for (auto [key, value] : root) {
    Profile p;
    p.name = std::string(key);
    simdjson::dom::object cm;
    if (value["CostMatrix"].get(cm) || cm["tpWeight"].get(p.a_tp) || cm["fpWeight"].get(p.a_fp) ||
        cm["fnWeight"].get(p.a_fn)) {
      return corpus_error(file.string(),
                          "profile '" + p.name + "' needs CostMatrix.tpWeight, fpWeight, fnWeight");
    }
    out.push_back(p);
  }
  if (out.empty()) return corpus_error(file.string(), "no profiles");
  return out;
}

// Turns window timestamps into row indices; every end must be a row's timestamp.
Status attach_windows(const std::vector<std::pair<int64_t, int64_t>>& times, Series& s,
                      const std::string& labels_file) {
  // NAB's own files repeat a few timestamps (clock changes): a window starts at the first row
  // with its start time and ends at the last row with its end time.
  std::unordered_map<int64_t, size_t> first_row, last_row;
  for (size_t i = 0; i < s.unix_secs.size(); ++i) {
    first_row.try_emplace(s.unix_secs[i], i);
    last_row[s.unix_secs[i]] = i;
  }
  for (const auto& [a, b] : times) {
    auto ia = first_row.find(a);
    auto ib = last_row.find(b);
    if (ia == first_row.end() || ib == last_row.end() || ib->second < ia->second) {
      return corpus_error(labels_file, "'" + s.path + "': window [" + format_rfc3339(from_unix_ms(a * 1000)) +
                                           ", " + format_rfc3339(from_unix_ms(b * 1000)) +
                                           "] does not start and end on timestamps of the series");
    }
    s.windows.push_back({ia->second, ib->second});
  }
  std::sort(s.windows.begin(), s.windows.end(),
            [](const Window& x, const Window& y) { return x.first < y.first; });
  for (size_t k = 1; k < s.windows.size(); ++k) {
    if (s.windows[k].first <= s.windows[k - 1].last) {
      return corpus_error(labels_file, "'" + s.path + "': windows overlap");
    }
  }
  return ok_status();
}

}  // namespace

size_t Corpus::window_count() const {
  size_t n = 0;
  for (const auto& s : series) n += s.windows.size();
  return n;
}

Result<int64_t> parse_nab_time(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' || !parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), mo) ||
      !parse_int(text.substr(8, 2), d) || !parse_int(text.substr(11, 2), h) ||
      !parse_int(text.substr(14, 2), mi) || !parse_int(text.substr(17, 2), se) || mo < 1 ||
      mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) {
    return Error(Errc::invalid_argument,
                 "timestamp '" + std::string(text) + "' is not 'YYYY-MM-DD HH:MM:SS'");
  }
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + h * 3600 + mi * 60 + se;
}

Result<Corpus> load_corpus(const std::string& dir) {
  const fs::path root(dir);
  const fs::path data = root / "data";
  if (!fs::is_directory(data)) return corpus_error(data.string(), "not a directory");
  const fs::path labels_file = root / "labels" / "combined_windows.json";
  auto windows = read_windows(labels_file);
  if (!windows.ok()) return windows.error();
  Corpus corpus;
  auto profiles = read_profiles(root / "config" / "profiles.json");
  if (!profiles.ok()) return profiles.error();
  corpus.profiles = std::move(*profiles);
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".csv") continue;
    Series s;
    s.path = entry.path().lexically_relative(data).generic_string();
    ENVMON_TRY(read_series_csv(entry.path(), s));
    auto w = windows->find(s.path);
    if (w == windows->end()) {
      return corpus_error(labels_file.string(), "no entry for data file '" + s.path + "'");
    }
    ENVMON_TRY(attach_windows(w->second, s, labels_file.string()));
    windows->erase(w);
    corpus.series.push_back(std::move(s));
  }
  if (!windows->empty()) {
    return corpus_error(labels_file.string(),
                        "entry '" + windows->begin()->first + "' has no file under data/");
  }
  if (corpus.series.empty()) return corpus_error(data.string(), "no .csv files");
  std::sort(corpus.series.begin(), corpus.series.end(),
            [](const Series& a, const Series& b) { return a.path < b.path; });
  return corpus;
}

}  // namespace envmon::eval::nab
