#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace envmon::eval::nab {

// One labelled anomaly window, as row indices into its series (both ends inclusive).
struct Window {
  size_t first = 0;
  size_t last = 0;
  size_t width() const { return last - first + 1; }
};

// One series of a NAB-layout folder: data/<category>/<name>.csv plus its windows.
struct Series {
  std::string path;                 // relative key, e.g. "realKnownCause/nyc_taxi.csv"
  std::vector<int64_t> unix_secs;   // row timestamps (UTC)
  std::vector<double> values;
  std::vector<Window> windows;      // sorted, non-overlapping
  size_t size() const { return values.size(); }
};

// A cost profile of config/profiles.json (tnWeight is never used by the score).
struct Profile {
  std::string name;  // "standard", "reward_low_FP_rate", "reward_low_FN_rate"
  double a_tp = 1.0;
  double a_fp = 0.11;
  double a_fn = 1.0;
};

struct Corpus {
  std::vector<Series> series;    // sorted by path
  std::vector<Profile> profiles; // in the file's order
  size_t window_count() const;
};

// Reads DIR/data/**.csv, DIR/labels/combined_windows.json and DIR/config/profiles.json. Every
// CSV needs a windows entry and every windows entry a CSV; window ends must be timestamps of the
// series. Errors name the file (and line for CSV rows).
Result<Corpus> load_corpus(const std::string& dir);

// "YYYY-MM-DD HH:MM:SS" with an optional fraction (ignored) -> seconds since the epoch (UTC).
Result<int64_t> parse_nab_time(std::string_view text);

}  // namespace envmon::eval::nab
