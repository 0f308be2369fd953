#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "models/isolation_forest/complete_trees.h"
#include "models/isolation_forest/isolation_forest_config.h"

namespace envmon::models::isolation_forest {

// Row-major feature vectors: rows() x cols values, borrowed (not copied).
struct FeatureView {
  std::span<const double> data;
  size_t cols = 0;
  size_t rows() const { return cols == 0 ? 0 : data.size() / cols; }
  std::span<const double> row(size_t i) const { return data.subspan(i * cols, cols); }
};

// Why a row scored as it did: the share of the isolating splits each feature made, weighted
// by how short the path was (a feature that isolates a row in few splits drives its score).
struct Explanation {
  double score = 0;
  std::vector<double> feature_share;  // one per feature, sums to 1 (all 0 if never split)
};

// The isolation forest of Liu, Ting and Zhou (2008): each tree isolates a subsample of psi
// rows by random axis splits up to depth ceil(log2 psi); the score of x is 2^(-E[h(x)]/c(psi)),
// near 1 for anomalies, about 0.5 or less for normal rows. Splits are floats (compared with the
// double input exactly), and scoring walks a complete-tree copy of the forest (complete_trees.h)
// with an AVX-512 kernel where the CPU has one.
class IsolationForest {
 public:
  // Grows the forest; errors on an empty or ragged matrix or a non-finite value.
  static Result<IsolationForest> fit(FeatureView x, const IsolationForestConfig& config);

  double score(std::span<const double> row) const;
  // out[i] = score(x.row(i)), bit for bit, whichever kernel runs.
  void score_batch(FeatureView x, std::span<double> out,
                   Kernel kernel = Kernel::automatic) const;
  Explanation explain(std::span<const double> row) const;
  // The anomaly record's explanation: {"detector", "score", "top_feature", "features": {name:
  // share}}; `names` label the features (missing names become "f<i>").
  static std::string explanation_json(const Explanation& e, const std::vector<std::string>& names);

  size_t features() const { return features_; }
  size_t trees() const { return roots_.size(); }
  size_t sample_size() const { return sample_size_; }

  // Versioned little-endian binary ("EMIFOREST" magic, format version, sizes, nodes).
  std::string save() const;
  static Result<IsolationForest> load(std::string_view bytes);

  // c(n): the mean path length of an unsuccessful BST search among n points.
  static double average_path_length(double n);

 private:
  class Builder;

  double path_length(std::span<const double> row, uint32_t root) const;
  double score_from_sum(double path_sum) const;

  std::vector<TreeNode> nodes_;  // all trees; a split's two children are adjacent
  std::vector<uint32_t> roots_;
  size_t features_ = 0;
  size_t sample_size_ = 0;
  double norm_ = 1;  // c(sample_size)
  // What score and score_batch walk; empty for trees deeper than CompleteTrees::kMaxDepth (then
  // both walk nodes_).
  CompleteTrees complete_;
};

}  // namespace envmon::models::isolation_forest
