#include "eval/nab/nab_scorer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace envmon::eval::nab {
namespace {

// One non-probationary row of the pooled corpus.
struct Row {
  double score;   // detector output
  double sweep;   // s_i
  long window;    // corpus-wide window id, -1 outside windows
};

// Window id per row (-1 outside), in corpus-wide numbering starting at `base`.
std::vector<long> window_ids(const Series& s, long base) {
  std::vector<long> ids(s.size(), -1);
  for (size_t k = 0; k < s.windows.size(); ++k) {
    for (size_t i = s.windows[k].first; i <= s.windows[k].last; ++i) {
      ids[i] = base + static_cast<long>(k);
    }
  }
  return ids;
}

Status check_scores(const std::vector<Series>& series, const Scores& scores) {
  if (scores.size() != series.size()) {
    return Error(Errc::invalid_argument, "detector gave scores for " +
                                             std::to_string(scores.size()) + " series, corpus has " +
                                             std::to_string(series.size()));
  }
  for (size_t f = 0; f < series.size(); ++f) {
    if (scores[f].size() != series[f].size()) {
      return Error(Errc::invalid_argument, series[f].path + ": " +
                                               std::to_string(scores[f].size()) + " scores for " +
                                               std::to_string(series[f].size()) + " rows");
    }
    for (size_t i = 0; i < scores[f].size(); ++i) {
      const double v = scores[f][i];
      if (!(v >= 0.0 && v <= 1.0)) {
        return Error(Errc::invalid_argument, series[f].path + ": row " + std::to_string(i) +
                                                 ": anomaly score " + std::to_string(v) +
                                                 " outside [0, 1]");
      }
    }
  }
  return ok_status();
}

// Pools the non-probationary rows of every series; counts windows with scorable rows.
std::vector<Row> pool_rows(const std::vector<Series>& series, const Scores& scores,
                           const Profile& p, long& window_total, long& scorable) {
  std::vector<Row> rows;
  long base = 0;
  scorable = 0;
  for (size_t f = 0; f < series.size(); ++f) {
    const size_t prob = probationary_rows(series[f].size());
    for (const auto& w : series[f].windows) scorable += w.last >= prob ? 1 : 0;
    const auto sweep = sweep_scores(series[f], p);
    const auto ids = window_ids(series[f], base);
    for (size_t i = probationary_rows(series[f].size()); i < series[f].size(); ++i) {
      rows.push_back({scores[f][i], sweep[i], ids[i]});
    }
    base += static_cast<long>(series[f].windows.size());
  }
  window_total = base;
  return rows;
}

// Detection state while the threshold walks down; raw is kept up to date incrementally.
struct SweepState {
  std::vector<double> best;  // best s_i per window, NaN while undetected
  double raw = 0;
  size_t detected = 0;
  size_t fp_rows = 0;

  // Only windows with a non-probationary row can be missed.
  SweepState(long windows, long scorable, const Profile& p)
      : best(static_cast<size_t>(windows), std::nan("")),
        raw(-p.a_fn * static_cast<double>(scorable)) {}

  void add(const Row& r, const Profile& p) {
    if (r.window < 0) {
      raw += r.sweep;
      ++fp_rows;
      return;
    }
    double& b = best[static_cast<size_t>(r.window)];
    if (std::isnan(b)) {
      raw += p.a_fn + r.sweep;
      b = r.sweep;
      ++detected;
    } else if (r.sweep > b) {
      raw += r.sweep - b;
      b = r.sweep;
    }
  }
};

ProfileResult sweep(std::vector<Row> rows, long windows, long scorable, const Profile& p) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.score > b.score; });
  SweepState st(windows, scorable, p);
  ProfileResult best;
  best.profile = p.name;
  best.raw = st.raw;
  best.windows = static_cast<size_t>(windows);
  for (size_t i = 0; i < rows.size();) {
    const double v = rows[i].score;
    for (; i < rows.size() && rows[i].score == v; ++i) st.add(rows[i], p);
    if (st.raw > best.raw) {  // strict: ties keep the higher threshold
      best.raw = st.raw;
      best.threshold = v;
      best.windows_detected = st.detected;
      best.false_positive_rows = st.fp_rows;
    }
  }
  return best;
}

}  // namespace

size_t probationary_rows(size_t n) {
  return std::min(static_cast<size_t>(std::floor(0.15 * static_cast<double>(n))), size_t{750});
}

double scaled_sigmoid(double y) {
  if (y > 3.0) return -1.0;
  return 2.0 / (1.0 + std::exp(5.0 * y)) - 1.0;
}

std::vector<double> sweep_scores(const Series& s, const Profile& p) {
  const double max_tp = scaled_sigmoid(-1.0);
  std::vector<double> out(s.size(), -p.a_fp);
  size_t next = 0;            // first window not yet passed
  const Window* prev = nullptr;
  for (size_t i = 0; i < s.size(); ++i) {
    while (next < s.windows.size() && s.windows[next].last < i) prev = &s.windows[next++];
    if (next < s.windows.size() && s.windows[next].first <= i) {
      const Window& w = s.windows[next];
      const double y = -static_cast<double>(w.last - i + 1) / static_cast<double>(w.width());
      out[i] = p.a_tp * scaled_sigmoid(y) / max_tp;
    } else if (prev != nullptr) {
      // A one-row window would divide by zero in NAB; treat it as width 2 (never in NAB data).
      const double denom = static_cast<double>(std::max<size_t>(prev->width(), 2) - 1);
      out[i] = p.a_fp * scaled_sigmoid(static_cast<double>(i - prev->last) / denom);
    }
  }
  return out;
}

Result<ProfileResult> score_corpus(const std::vector<Series>& series, const Scores& scores,
                                   const Profile& profile) {
  ENVMON_TRY(check_scores(series, scores));
  long windows = 0, scorable = 0;
  auto rows = pool_rows(series, scores, profile, windows, scorable);
  ProfileResult r = sweep(std::move(rows), windows, scorable, profile);
  Scores null_scores;
  for (const auto& s : series) null_scores.emplace_back(s.size(), 0.5);
  rows = pool_rows(series, null_scores, profile, windows, scorable);
  r.raw_null = sweep(std::move(rows), windows, scorable, profile).raw;
  r.raw_perfect = profile.a_tp * static_cast<double>(windows);
  const double span = r.raw_perfect - r.raw_null;
  r.score = span > 0 ? 100.0 * (r.raw - r.raw_null) / span : 0.0;
  return r;
}

Result<double> raw_at_threshold(const std::vector<Series>& series, const Scores& scores,
                                const Profile& profile, double threshold) {
  ENVMON_TRY(check_scores(series, scores));
  long windows = 0, scorable = 0;
  const auto rows = pool_rows(series, scores, profile, windows, scorable);
  SweepState st(windows, scorable, profile);
  for (const auto& r : rows) {
    if (r.score >= threshold) st.add(r, profile);
  }
  return st.raw;
}

}  // namespace envmon::eval::nab
