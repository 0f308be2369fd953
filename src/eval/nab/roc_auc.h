#pragma once

#include <span>

namespace envmon::eval {

// Area under the ROC curve of `scores` (higher = more positive) against 0/1 `labels`, by the
// rank-sum (Mann-Whitney) formula with mid-ranks for ties. 0.5 when a class is empty.
double roc_auc(std::span<const double> scores, std::span<const int> labels);

}  // namespace envmon::eval
