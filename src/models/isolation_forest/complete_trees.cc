#include "models/isolation_forest/complete_trees.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace envmon::models::isolation_forest {

float floor_float(double x) {
  float f = static_cast<float>(x);
  if (static_cast<double>(f) > x) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

float ceil_float(double x) {
  float f = static_cast<float>(x);
  if (static_cast<double>(f) < x) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

namespace {

int deepest(std::span<const TreeNode> nodes, std::span<const uint32_t> roots) {
  int deepest = 0;
  std::vector<std::pair<uint32_t, int>> stack;
  for (uint32_t r : roots) {
    stack.emplace_back(r, 0);
    while (!stack.empty()) {
      auto [i, dep] = stack.back();
      stack.pop_back();
      deepest = std::max(deepest, dep);
      if (nodes[i].feature >= 0) {
        stack.emplace_back(nodes[i].left, dep + 1);
        stack.emplace_back(nodes[i].left + 1, dep + 1);
      }
    }
  }
  return deepest;
}

}  // namespace

void CompleteTrees::build(std::span<const TreeNode> nodes, std::span<const uint32_t> roots,
                          size_t features) {
  depth_ = 0;
  trees_ = 0;
  split_.clear();
  feature_.clear();
  leaf_.clear();
  const int depth = deepest(nodes, roots);
  if (depth > kMaxDepth || features > (size_t{1} << 20)) return;
  depth_ = std::max(depth, 1);
  trees_ = roots.size();
  const size_t inner = (size_t{1} << depth_) - 1;
  const size_t leaves = inner + 1;
  // At least 128 slots a tree: the AVX-512 kernel keeps levels 0-6 (127 nodes) in registers.
  stride_ = std::max<size_t>(leaves, 128);
  split_.assign(trees_ * stride_, std::numeric_limits<float>::infinity());
  feature_.assign(trees_ * stride_, 0);
  leaf_.assign(trees_ * leaves, 0.0f);
  struct Item {
    uint32_t node;
    size_t heap;
    int dep;
  };
  std::vector<Item> stack;
  for (size_t t = 0; t < trees_; ++t) {
    stack.push_back({roots[t], 0, 0});
    while (!stack.empty()) {
      const Item it = stack.back();
      stack.pop_back();
      const TreeNode& n = nodes[it.node];
      if (n.feature >= 0) {
        split_[t * stride_ + it.heap] = static_cast<float>(n.value);  // exact: splits are floats
        feature_[t * stride_ + it.heap] = n.feature;
        stack.push_back({n.left, 2 * it.heap + 1, it.dep + 1});
        stack.push_back({n.left + 1, 2 * it.heap + 2, it.dep + 1});
        continue;
      }
      const size_t span = size_t{1} << (depth_ - it.dep);
      const size_t first = (it.heap + 1) * span - 1 - inner;
      std::fill_n(leaf_.begin() + static_cast<std::ptrdiff_t>(t * leaves + first), span,
                  static_cast<float>(static_cast<double>(it.dep) + n.value));
    }
  }
}

CompleteTrees::Layout CompleteTrees::layout() const {
  return {depth_, trees_, stride_, split_.data(), feature_.data(), leaf_.data()};
}

void CompleteTrees::path_sums(std::span<const double> rows, size_t cols, std::span<double> sums,
                              Kernel kernel) const {
  const size_t n = cols == 0 ? 0 : rows.size() / cols;
  // Tree-major over blocks of rows that stay in L1 (as floats) while every tree walks them.
  const size_t block = std::clamp<size_t>((8192 / std::max<size_t>(cols, 1)) / 64 * 64, 64, 1024);
  // Sized for the rows there are: a single row (score(), explain()) takes 64 padded rows, not
  // a whole block of zeroed buffers.
  const size_t cap = std::min(block, (n + 63) / 64 * 64);
  std::vector<float> x(cap * cols), columns(cap * cols);
  std::vector<float> acc(cap);
  const Layout t = layout();
  for (size_t b = 0; b < n; b += block) {
    const size_t m = std::min(block, n - b);
    const size_t padded = (m + 63) / 64 * 64;  // the vector kernel takes 64 rows at a time
    kernels::floor_floats(rows.data() + b * cols, m * cols, x.data());
    std::fill(x.begin() + static_cast<std::ptrdiff_t>(m * cols),
              x.begin() + static_cast<std::ptrdiff_t>(padded * cols), 0.0f);
    std::fill_n(acc.begin(), padded, 0.0f);
    if (kernel == Kernel::scalar || !kernels::path_sums_avx512(t, x.data(), padded, cols, columns.data(), acc.data())) {
      kernels::path_sums_scalar(t, x.data(), m, cols, acc.data());
    }
    std::copy_n(acc.begin(), m, sums.begin() + static_cast<std::ptrdiff_t>(b));
  }
}

namespace kernels {

void path_sums_scalar(const CompleteTrees::Layout& t, const float* x, size_t rows, size_t cols,
                      float* sums) {
  const size_t inner = (size_t{1} << t.depth) - 1;
  constexpr size_t kLanes = 8;  // independent walks in lock-step: the loads overlap
  for (size_t tree = 0; tree < t.trees; ++tree) {
    const float* split = t.split + tree * t.stride;
    const int32_t* feature = t.feature + tree * t.stride;
    const float* leaf = t.leaf + tree * (inner + 1);
    size_t r = 0;
    for (; r + kLanes <= rows; r += kLanes) {
      uint32_t k[kLanes] = {};
      const float* row = x + r * cols;
      for (int level = 0; level < t.depth; ++level) {
        for (size_t l = 0; l < kLanes; ++l) {
          const float v = row[l * cols + static_cast<size_t>(feature[k[l]])];
          k[l] = 2 * k[l] + 1 + (v < split[k[l]] ? 0u : 1u);
        }
      }
      for (size_t l = 0; l < kLanes; ++l) sums[r + l] += leaf[k[l] - inner];
    }
    for (; r < rows; ++r) {
      const float* row = x + r * cols;
      uint32_t k = 0;
      for (int level = 0; level < t.depth; ++level) {
        k = 2 * k + 1 + (row[static_cast<size_t>(feature[k])] < split[k] ? 0u : 1u);
      }
      sums[r] += leaf[k - inner];
    }
  }
}

}  // namespace kernels

}  // namespace envmon::models::isolation_forest
