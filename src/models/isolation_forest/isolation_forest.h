#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
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
// near 1 for anomalies, about 0.5 or less for normal rows. All trees live in one contiguous
// node array (a split's children are adjacent), so scoring is a tight loop without pointers.
class IsolationForest {
 public:
  // Grows the forest; errors on an empty or ragged matrix or a non-finite value.
  static Result<IsolationForest> fit(FeatureView x, const IsolationForestConfig& config);

  double score(std::span<const double> row) const;
  // out[i] = score(x.row(i)).
  void score_batch(FeatureView x, std::span<double> out) const;
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
  struct Node {
    double value;      // split value, or for a leaf the depth adjustment c(leaf size)
    int32_t feature;   // -1 for a leaf
    uint32_t left;     // index of the left child; the right child is left + 1
  };
  class Builder;

  double path_length(std::span<const double> row, uint32_t root) const;
  // Rebuilds the fixed-depth copy of the trees that score_batch walks (after fit and load).
  void build_complete_trees();
  int tree_depth() const;

  std::vector<Node> nodes_;
  std::vector<uint32_t> roots_;
  size_t features_ = 0;
  size_t sample_size_ = 0;
  double norm_ = 1;  // c(sample_size)

  // The same trees as complete binary trees of depth `complete_depth_` in heap order (children
  // of k at 2k+1 and 2k+2): a leaf above the bottom is padded with splits that keep its value
  // whichever way a row goes, so every walk takes exactly that many branch-free steps. Empty
  // when the trees are too deep for it (score_batch then walks the nodes).
  int complete_depth_ = 0;
  std::vector<double> complete_split_;      // trees x (2^D - 1)
  std::vector<uint16_t> complete_feature_;  // trees x (2^D - 1)
  std::vector<double> complete_leaf_;       // trees x 2^D: depth + c(leaf size)
};

}  // namespace envmon::models::isolation_forest
