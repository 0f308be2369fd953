#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "eval/nab/nab_corpus.h"

namespace envmon::eval::nab {

// The NAB score (../shared/docs/nab-scoring.md): per-row sweep scores from window positions,
// the raw score of a detection set, the exhaustive threshold sweep over the pooled corpus, and
// normalisation against the null and perfect detectors.

// Rows 0..P-1 are neither rewarded nor penalised: P = min(floor(0.15 n), 750).
size_t probationary_rows(size_t n);

// The scaled sigmoid S(y): -1 for y > 3, else 2 sigma(-5y) - 1.
double scaled_sigmoid(double y);

// The weighted sweep score s_i of every row of a series under a profile (§3).
std::vector<double> sweep_scores(const Series& s, const Profile& p);

// Detector output: one score in [0, 1] per row of each series, in corpus order.
using Scores = std::vector<std::vector<double>>;

struct ProfileResult {
  std::string profile;
  double threshold = 1.1;  // the best threshold of the sweep (1.1: nothing detected)
  double raw = 0;          // raw score at that threshold
  double raw_null = 0;     // raw score of the null detector (constant 0.5), swept the same way
  double raw_perfect = 0;  // A_TP x number of windows
  double score = 0;        // 100 (raw - raw_null) / (raw_perfect - raw_null)
  size_t windows_detected = 0;
  size_t windows = 0;
  size_t false_positive_rows = 0;
};

// Sweeps every distinct score (plus 1.1) over the pooled corpus and keeps the best threshold;
// ties keep the highest threshold. Errors: score count mismatch or a score outside [0, 1].
Result<ProfileResult> score_corpus(const std::vector<Series>& series, const Scores& scores,
                                   const Profile& profile);

// The raw score with detections at score >= threshold (no sweep), e.g. at a stored threshold.
Result<double> raw_at_threshold(const std::vector<Series>& series, const Scores& scores,
                                const Profile& profile, double threshold);

}  // namespace envmon::eval::nab
