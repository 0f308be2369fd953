#include "models/isolation_forest/isolation_forest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "core/binary_io.h"
#include "models/explanation/explanation.h"

namespace envmon::models::isolation_forest {
namespace {

constexpr char kMagic[] = "EMIFOREST";  // 9 bytes + NUL
constexpr uint32_t kFormatVersion = 2;  // 2: splits are floats

using binio::get;
using binio::put;

}  // namespace

double IsolationForest::average_path_length(double n) {
  if (n <= 1) return 0.0;
  if (n <= 2) return 1.0;
  constexpr double kEuler = 0.5772156649015329;
  return 2.0 * (std::log(n - 1.0) + kEuler) - 2.0 * (n - 1.0) / n;
}

// Grows one tree at a time over an index buffer partitioned in place: no allocation per node.
class IsolationForest::Builder {
 public:
  Builder(FeatureView x, IsolationForest& forest, uint64_t seed, int depth_limit)
      : x_(x), forest_(forest), rng_(seed), depth_limit_(depth_limit) {}

  void grow_tree(std::vector<size_t>& sample) {
    const auto root = static_cast<uint32_t>(forest_.nodes_.size());
    forest_.nodes_.push_back({});
    forest_.roots_.push_back(root);
    grow(root, sample.data(), sample.size(), 0);
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  void make_leaf(uint32_t node, size_t n) {
    forest_.nodes_[node] = {average_path_length(static_cast<double>(n)), -1, 0};
  }

  // Picks a random feature whose values among `idx` span more than one float (splits are
  // floats); lo and hi are that range rounded down to floats. False if all are constant.
  bool pick_split(const size_t* idx, size_t n, int32_t& feature, float& lo, float& hi) {
    const size_t d = x_.cols;
    const size_t start = std::uniform_int_distribution<size_t>(0, d - 1)(rng_);
    for (size_t k = 0; k < d; ++k) {
      const size_t f = (start + k) % d;
      double min = x_.data[idx[0] * d + f], max = min;
      for (size_t i = 1; i < n; ++i) {
        const double v = x_.data[idx[i] * d + f];
        min = std::min(min, v);
        max = std::max(max, v);
      }
      lo = floor_float(min);
      hi = floor_float(max);
      if (hi > lo) {
        feature = static_cast<int32_t>(f);
        return true;
      }
    }
    return false;
  }

  void grow(uint32_t node, size_t* idx, size_t n, int depth) {
    int32_t feature = -1;
    float lo = 0, hi = 0;
    if (n <= 1 || depth >= depth_limit_ || !pick_split(idx, n, feature, lo, hi)) {
      make_leaf(node, n);
      return;
    }
    // A float in (lo, hi]: x < split then holds for the minimum and fails for the maximum.
    float split = ceil_float(std::uniform_real_distribution<double>(lo, hi)(rng_));
    if (split <= lo) split = std::nextafter(lo, hi);
    const size_t d = x_.cols;
    size_t* mid = std::partition(idx, idx + n, [&](size_t r) {
      return x_.data[r * d + static_cast<size_t>(feature)] < static_cast<double>(split);
    });
    const auto left = static_cast<uint32_t>(forest_.nodes_.size());
    forest_.nodes_.push_back({});
    forest_.nodes_.push_back({});
    forest_.nodes_[node] = {static_cast<double>(split), feature, left};
    const auto n_left = static_cast<size_t>(mid - idx);
    grow(left, idx, n_left, depth + 1);
    grow(left + 1, mid, n - n_left, depth + 1);
  }

  FeatureView x_;
  IsolationForest& forest_;
  std::mt19937_64 rng_;
  int depth_limit_;
};

Result<IsolationForest> IsolationForest::fit(FeatureView x, const IsolationForestConfig& config) {
  if (x.cols == 0 || x.rows() == 0 || x.data.size() % x.cols != 0) {
    return Error(Errc::invalid_argument, "isolation forest: need a non-empty rows x cols matrix");
  }
  for (size_t i = 0; i < x.data.size(); ++i) {
    if (!std::isfinite(x.data[i])) {
      return Error(Errc::invalid_argument, "isolation forest: row " + std::to_string(i / x.cols) +
                                               " feature " + std::to_string(i % x.cols) +
                                               " is not finite");
    }
  }
  if (config.trees < 1 || config.sample_size < 2) {
    return Error(Errc::invalid_argument, "isolation forest: trees >= 1 and sample_size >= 2");
  }
  IsolationForest forest;
  forest.features_ = x.cols;
  forest.sample_size_ = std::min(static_cast<size_t>(config.sample_size), x.rows());
  forest.norm_ = std::max(average_path_length(static_cast<double>(forest.sample_size_)), 1.0);
  const int limit = config.max_depth > 0
                        ? static_cast<int>(config.max_depth)
                        : static_cast<int>(std::ceil(std::log2(std::max<size_t>(forest.sample_size_, 2))));
  forest.nodes_.reserve(static_cast<size_t>(config.trees) * 2 * forest.sample_size_);
  Builder builder(x, forest, static_cast<uint64_t>(config.seed), limit);
  std::vector<size_t> all(x.rows());
  std::iota(all.begin(), all.end(), size_t{0});
  std::vector<size_t> sample(forest.sample_size_);
  for (int64_t t = 0; t < config.trees; ++t) {
    // Partial Fisher-Yates: the first psi entries become a uniform sample without replacement.
    for (size_t i = 0; i < forest.sample_size_; ++i) {
      const size_t j = std::uniform_int_distribution<size_t>(i, all.size() - 1)(builder.rng());
      std::swap(all[i], all[j]);
      sample[i] = all[i];
    }
    builder.grow_tree(sample);
  }
  forest.nodes_.shrink_to_fit();
  forest.complete_.build(forest.nodes_, forest.roots_, forest.features_);
  return forest;
}

double IsolationForest::path_length(std::span<const double> row, uint32_t root) const {
  const TreeNode* nodes = nodes_.data();
  uint32_t i = root;
  double depth = 0;
  while (nodes[i].feature >= 0) {
    const TreeNode& n = nodes[i];
    i = n.left + (row[static_cast<size_t>(n.feature)] < n.value ? 0u : 1u);
    depth += 1;
  }
  return depth + nodes[i].value;
}

double IsolationForest::score_from_sum(double path_sum) const {
  const double mean = path_sum / static_cast<double>(roots_.size());
  return std::exp2(-mean / norm_);
}

double IsolationForest::score(std::span<const double> row) const {
  double out = 0;
  score_batch({row.first(std::min(row.size(), features_)), features_}, {&out, 1});
  return out;
}

void IsolationForest::score_batch(FeatureView x, std::span<double> out, Kernel kernel) const {
  const size_t n = std::min(x.rows(), out.size());
  if (complete_.empty()) {
    for (size_t i = 0; i < n; ++i) {
      double total = 0;
      for (uint32_t r : roots_) total += path_length(x.row(i), r);
      out[i] = score_from_sum(total);
    }
    return;
  }
  complete_.path_sums(x.data.first(n * x.cols), x.cols, out, kernel);
  for (size_t i = 0; i < n; ++i) out[i] = score_from_sum(out[i]);
}

Explanation IsolationForest::explain(std::span<const double> row) const {
  Explanation e;
  e.score = score(row);
  e.feature_share.assign(features_, 0.0);
  double total = 0;
  std::vector<int> used;  // one buffer for every tree's path
  for (uint32_t r : roots_) {
    // Count the path's splits per feature, then weight the tree by 1 / path length.
    used.clear();
    uint32_t i = r;
    while (nodes_[i].feature >= 0) {
      const TreeNode& n = nodes_[i];
      used.push_back(n.feature);
      i = n.left + (row[static_cast<size_t>(n.feature)] < n.value ? 0u : 1u);
    }
    const double h = static_cast<double>(used.size()) + nodes_[i].value;
    if (used.empty() || h <= 0) continue;
    for (int f : used) {
      e.feature_share[static_cast<size_t>(f)] += 1.0 / h;
      total += 1.0 / h;
    }
  }
  if (total > 0) {
    for (double& s : e.feature_share) s /= total;
  }
  return e;
}

std::string IsolationForest::explanation_json(const Explanation& e,
                                              const std::vector<std::string>& names) {
  return feature_share_json("isolation_forest", e.score, e.feature_share, names);
}

std::string IsolationForest::save() const {
  std::string out(kMagic, sizeof(kMagic));
  put<uint32_t>(out, kFormatVersion);
  put<uint64_t>(out, features_);
  put<uint64_t>(out, sample_size_);
  put<uint64_t>(out, roots_.size());
  put<uint64_t>(out, nodes_.size());
  for (uint32_t r : roots_) put<uint32_t>(out, r);
  for (const TreeNode& n : nodes_) {
    put<double>(out, n.value);
    put<int32_t>(out, n.feature);
    put<uint32_t>(out, n.left);
  }
  return out;
}

Result<IsolationForest> IsolationForest::load(std::string_view in) {
  auto bad = [](const std::string& why) {
    return Error(Errc::decode_syntax, "isolation forest model: " + why);
  };
  if (in.size() < sizeof(kMagic) || std::memcmp(in.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("not an isolation forest file (magic)");
  }
  in.remove_prefix(sizeof(kMagic));
  uint32_t version = 0;
  uint64_t features = 0, psi = 0, trees = 0, nodes = 0;
  if (!get(in, version)) return bad("truncated header");
  if (version != kFormatVersion) {
    return Error(Errc::decode_version,
                 "isolation forest model: format version " + std::to_string(version) +
                     " (this build reads " + std::to_string(kFormatVersion) + ")");
  }
  if (!get(in, features) || !get(in, psi) || !get(in, trees) || !get(in, nodes)) {
    return bad("truncated header");
  }
  if (features == 0 || trees == 0 || psi < 2 || nodes >= UINT32_MAX ||
      in.size() != trees * 4 + nodes * 16) {
    return bad("sizes do not match the file length");
  }
  IsolationForest f;
  f.features_ = features;
  f.sample_size_ = psi;
  f.norm_ = std::max(average_path_length(static_cast<double>(psi)), 1.0);
  f.roots_.resize(trees);
  for (auto& r : f.roots_) {
    if (!get(in, r) || r >= nodes) return bad("root index out of range");
  }
  f.nodes_.resize(nodes);
  for (size_t i = 0; i < nodes; ++i) {
    TreeNode& n = f.nodes_[i];
    if (!get(in, n.value) || !get(in, n.feature) || !get(in, n.left)) return bad("truncated nodes");
    // Children always follow their parent, so a valid file cannot loop.
    if (n.feature < -1 || n.feature >= static_cast<int64_t>(features) ||
        (n.feature >= 0 && (n.left <= i || uint64_t{n.left} + 1 >= nodes ||
                            static_cast<double>(static_cast<float>(n.value)) != n.value))) {
      return bad("node " + std::to_string(i) + " is malformed");
    }
  }
  f.complete_.build(f.nodes_, f.roots_, f.features_);
  return f;
}

}  // namespace envmon::models::isolation_forest
