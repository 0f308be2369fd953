#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace envmon::models::isolation_forest {

// Rounding toward -inf / +inf. For a float split s and any double x, x < s exactly when
// floor_float(x) < s: the forest's splits are floats, so scoring can compare float copies of
// the rows and still take the very branches a comparison of the doubles would take.
float floor_float(double x);
float ceil_float(double x);

// A node of the forest as fit() grows it and save() writes it.
struct TreeNode {
  double value;      // split value (a float), or for a leaf the depth adjustment c(leaf size)
  int32_t feature;   // -1 for a leaf
  uint32_t left;     // index of the left child; the right child is left + 1
};

// Which scoring kernel path_sums uses: automatic picks AVX-512 when the CPU has it (run-time
// check, so the binary still runs on any x86-64-v2 machine). Both give bit-identical sums.
enum class Kernel { automatic, scalar };

// The same trees as complete binary trees of one depth D in heap order (children of k at 2k+1
// and 2k+2), structure of arrays: float split, int32 feature, and per leaf slot the float
// "depth + c(leaf size)". A leaf above the bottom is padded with +inf splits (every finite value
// goes left and all slots below carry the leaf's value), so every walk takes exactly D
// branch-free steps. Empty when the trees are deeper than kMaxDepth (callers walk the nodes).
class CompleteTrees {
 public:
  static constexpr int kMaxDepth = 12;

  // `roots` index `nodes`; `features` bounds the feature indices.
  void build(std::span<const TreeNode> nodes, std::span<const uint32_t> roots, size_t features);
  bool empty() const { return depth_ == 0; }
  size_t trees() const { return trees_; }

  // sums[i] = sum over the trees, in tree order, of the leaf value row i reaches (path length
  // plus c(leaf size)); rows of `cols` doubles, row-major. Needs sums.size() >= rows.
  void path_sums(std::span<const double> rows, size_t cols, std::span<double> sums,
                 Kernel kernel = Kernel::automatic) const;

  // Flat view the kernels walk.
  struct Layout {
    int depth;
    size_t trees;
    size_t stride;          // nodes per tree in split/feature (>= 2^depth - 1, >= 128)
    const float* split;     // trees x stride
    const int32_t* feature; // trees x stride
    const float* leaf;      // trees x 2^depth
  };

 private:
  Layout layout() const;

  int depth_ = 0;
  size_t trees_ = 0;
  size_t stride_ = 0;
  std::vector<float> split_;
  std::vector<int32_t> feature_;
  std::vector<float> leaf_;
};

namespace kernels {
// Adds each row's leaf values to sums[row], tree by tree. x: `rows` x `cols` floats, row-major.
void path_sums_scalar(const CompleteTrees::Layout& t, const float* x, size_t rows, size_t cols,
                      float* sums);
// The same with 16 rows per AVX-512 vector; rows must be a multiple of 64; scratch holds
// rows x cols floats (a column-major copy). False (nothing done) when the CPU lacks AVX-512.
bool path_sums_avx512(const CompleteTrees::Layout& t, const float* x, size_t rows, size_t cols,
                      float* scratch, float* sums);
// Whether this CPU runs the AVX-512 kernel (Kernel::automatic picks it then).
bool avx512_available();
// dst[i] = floor_float(src[i]).
void floor_floats(const double* src, size_t n, float* dst);
}  // namespace kernels

}  // namespace envmon::models::isolation_forest
