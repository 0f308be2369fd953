#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "eval/nab/nab_corpus.h"

namespace envmon::eval::nab {

// A published detector's NAB score restricted to this corpus's files: the per-file raw scores of
// a NAB checkout's DIR/results/<detector>/<detector>_<profile>_scores.csv (its `Score` column,
// each file scored at the detector's own corpus-wide threshold), summed over the corpus's files
// and normalised with the corpus's null (-A_FN x windows) and perfect (A_TP x windows) scores.
// Nothing when the file is absent (e.g. a corpus folder without results/); an error naming the
// file (and line) when it is malformed or lacks one of the corpus's files. Rows of files outside
// the corpus are ignored: that is the restriction.
Result<std::optional<double>> published_score(const Corpus& corpus, const std::string& dir,
                                              const std::string& detector,
                                              const Profile& profile);

}  // namespace envmon::eval::nab
