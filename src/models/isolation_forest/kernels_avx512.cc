// The AVX-512 scoring kernel: 16 rows walk one tree together, four such groups interleaved.
// Levels 0-1 compare columns of a column-major copy of the block; levels 2-6 (nodes 3-126) look
// their split and feature up in registers with permutes, deeper levels and the leaves with
// gathers; the row values come by permutes (rows of 8 floats) or gathers. Compiled for AVX-512 by function
// attribute and chosen at run time, so the library still targets x86-64-v2.
#include <algorithm>

#include "models/isolation_forest/complete_trees.h"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 intrinsics start results from _mm512_undefined_*(), which -O3 reports as
// maybe-uninitialized at every inlined call; the values are fully written.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define ENVMON_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl")))
#endif

namespace envmon::models::isolation_forest::kernels {

#ifdef ENVMON_AVX512
namespace {

bool have_avx512() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  return yes;
}

// The 16 rows' values of their lanes' features. kNarrow: rows of exactly 8 floats, 16 rows in
// 8 registers; four two-register permutes (4 rows each) replace the gather, which is slower
// than the shuffle unit here. Otherwise a gather (any width).
template <bool kNarrow>
ENVMON_AVX512 inline __m512 fetch(__m512i feature, __m512i lane_offset, const float* rows) {
  const __m512i index = _mm512_add_epi32(feature, lane_offset);
  if constexpr (kNarrow) {
    // Each masked permute fills 4 lanes and keeps the others' indices for the next one.
    __m512 v = _mm512_castsi512_ps(index);
    for (int p = 0; p < 4; ++p) {
      v = _mm512_mask2_permutex2var_ps(_mm512_loadu_ps(rows + 32 * p), _mm512_castps_si512(v),
                                       static_cast<__mmask16>(0xF << (4 * p)),
                                       _mm512_loadu_ps(rows + 32 * p + 16));
    }
    return v;
  } else {
    return _mm512_i32gather_ps(index, rows, 4);
  }
}

// One level down: right where !(x < split) (NaN goes right, as in the scalar walk).
template <bool kNarrow>
ENVMON_AVX512 inline __m512i step(__m512i k, __m512 split, __m512i feature, __m512i lane_offset,
                                  const float* rows) {
  const __mmask16 right =
      _mm512_cmp_ps_mask(fetch<kNarrow>(feature, lane_offset, rows), split, _CMP_NLT_UQ);
  const __m512i one = _mm512_set1_epi32(1);
  k = _mm512_add_epi32(_mm512_add_epi32(k, k), one);
  return _mm512_mask_add_epi32(k, right, k, one);
}

// The splits and features of levels 0-6 of one tree: [0] nodes 0-14, [1] 15-30, [2..3] 31-62,
// [4..7] 63-126.
struct TopLevels {
  __m512 split[8];
  __m512i feature[8];
};

ENVMON_AVX512 inline TopLevels load_top(const float* split, const int32_t* feature) {
  static constexpr int kOffset[8] = {0, 15, 31, 47, 63, 79, 95, 111};
  TopLevels t;
  for (int i = 0; i < 8; ++i) {
    t.split[i] = _mm512_loadu_ps(split + kOffset[i]);
    t.feature[i] = _mm512_loadu_si512(feature + kOffset[i]);
  }
  return t;
}

// kGroups independent groups of 16 rows walk in lock-step: each level is a chain of permute,
// gather and compare, and interleaving the groups hides that latency.
constexpr int kGroups = 4;
using Lanes = __m512i[kGroups];

template <bool kNarrow>
ENVMON_AVX512 inline void step_all(Lanes& k, const Lanes& split_index, __m512 split_table,
                                   __m512i feature_table, __m512i lane_offset, const float* rows,
                                   size_t group_stride) {
  for (int g = 0; g < kGroups; ++g) {
    k[g] = step<kNarrow>(k[g], _mm512_permutexvar_ps(split_index[g], split_table),
                _mm512_permutexvar_epi32(split_index[g], feature_table), lane_offset,
                rows + g * group_stride);
  }
}

// Levels 0 and 1 read the column-major copy of the block: at level 0 every lane compares the
// same column, at level 1 one of two columns picked by level 0's outcome. No permute, no gather.
ENVMON_AVX512 inline void top_two_levels(const float* split, const int32_t* feature, int depth,
                                         const float* columns, size_t column_stride, Lanes& k) {
  const __m512i one = _mm512_set1_epi32(1);
  const float* c0 = columns + static_cast<size_t>(feature[0]) * column_stride;
  __mmask16 right[kGroups];
  for (int g = 0; g < kGroups; ++g) {
    right[g] = _mm512_cmp_ps_mask(_mm512_loadu_ps(c0 + 16 * g), _mm512_set1_ps(split[0]),
                                  _CMP_NLT_UQ);
    k[g] = _mm512_mask_add_epi32(one, right[g], one, one);
  }
  if (depth < 2) return;
  const float* c1 = columns + static_cast<size_t>(feature[1]) * column_stride;
  const float* c2 = columns + static_cast<size_t>(feature[2]) * column_stride;
  for (int g = 0; g < kGroups; ++g) {
    const __m512 v = _mm512_mask_blend_ps(right[g], _mm512_loadu_ps(c1 + 16 * g),
                                          _mm512_loadu_ps(c2 + 16 * g));
    const __m512 s =
        _mm512_mask_blend_ps(right[g], _mm512_set1_ps(split[1]), _mm512_set1_ps(split[2]));
    const __mmask16 r = _mm512_cmp_ps_mask(v, s, _CMP_NLT_UQ);
    k[g] = _mm512_add_epi32(_mm512_add_epi32(k[g], k[g]), one);
    k[g] = _mm512_mask_add_epi32(k[g], r, k[g], one);
  }
}

template <bool kNarrow>
ENVMON_AVX512 inline void walk(const TopLevels& top, const float* split, const int32_t* feature,
                               int depth, __m512i lane_offset, const float* rows, size_t cols,
                               const float* columns, size_t column_stride, Lanes& k) {
  const size_t stride = 16 * cols;
  top_two_levels(split, feature, depth, columns, column_stride, k);
  for (int level = 2; level < std::min(depth, 4); ++level) {
    step_all<kNarrow>(k, k, top.split[0], top.feature[0], lane_offset, rows, stride);
  }
  Lanes j;
  if (depth > 4) {
    for (int g = 0; g < kGroups; ++g) j[g] = _mm512_sub_epi32(k[g], _mm512_set1_epi32(15));
    step_all<kNarrow>(k, j, top.split[1], top.feature[1], lane_offset, rows, stride);
  }
  if (depth > 5) {
    for (int g = 0; g < kGroups; ++g) {
      j[g] = _mm512_sub_epi32(k[g], _mm512_set1_epi32(31));
      k[g] = step<kNarrow>(k[g], _mm512_permutex2var_ps(top.split[2], j[g], top.split[3]),
                  _mm512_permutex2var_epi32(top.feature[2], j[g], top.feature[3]), lane_offset,
                  rows + g * stride);
    }
  }
  if (depth > 6) {
    for (int g = 0; g < kGroups; ++g) {
      j[g] = _mm512_sub_epi32(k[g], _mm512_set1_epi32(63));
      const __mmask16 high = _mm512_test_epi32_mask(j[g], _mm512_set1_epi32(32));
      const __m512 s =
          _mm512_mask_blend_ps(high, _mm512_permutex2var_ps(top.split[4], j[g], top.split[5]),
                               _mm512_permutex2var_ps(top.split[6], j[g], top.split[7]));
      const __m512i f = _mm512_mask_blend_epi32(
          high, _mm512_permutex2var_epi32(top.feature[4], j[g], top.feature[5]),
          _mm512_permutex2var_epi32(top.feature[6], j[g], top.feature[7]));
      k[g] = step<kNarrow>(k[g], s, f, lane_offset, rows + g * stride);
    }
  }
  for (int level = 7; level < depth; ++level) {
    for (int g = 0; g < kGroups; ++g) {
      k[g] = step<kNarrow>(k[g], _mm512_i32gather_ps(k[g], split, 4),
                  _mm512_i32gather_epi32(k[g], feature, 4), lane_offset, rows + g * stride);
    }
  }
}

ENVMON_AVX512 inline void add_leaves(__m512i k, int inner, const float* leaf, float* sums) {
  const __m512 v = _mm512_i32gather_ps(_mm512_sub_epi32(k, _mm512_set1_epi32(inner)), leaf, 4);
  _mm512_storeu_ps(sums, _mm512_add_ps(_mm512_loadu_ps(sums), v));  // tree order, as the scalar
}

template <bool kNarrow>
ENVMON_AVX512 void sums_avx512(const CompleteTrees::Layout& t, const float* x, size_t rows,
                               size_t cols, const float* columns, float* sums) {
  const int inner = (1 << t.depth) - 1;
  // Where lane l's row starts: in its register pair (kNarrow) or in the block.
  const __m512i lane_offset =
      kNarrow ? _mm512_setr_epi32(0, 8, 16, 24, 0, 8, 16, 24, 0, 8, 16, 24, 0, 8, 16, 24)
              : _mm512_mullo_epi32(
                    _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                    _mm512_set1_epi32(static_cast<int>(cols)));
  for (size_t tree = 0; tree < t.trees; ++tree) {
    const float* split = t.split + tree * t.stride;
    const int32_t* feature = t.feature + tree * t.stride;
    const float* leaf = t.leaf + tree * static_cast<size_t>(inner + 1);
    const TopLevels top = load_top(split, feature);
    for (size_t r = 0; r < rows; r += 16 * kGroups) {
      Lanes k;
      walk<kNarrow>(top, split, feature, t.depth, lane_offset, x + r * cols, cols, columns + r, rows,
                    k);
      for (int g = 0; g < kGroups; ++g) add_leaves(k[g], inner, leaf, sums + r + 16 * g);
    }
  }
}

ENVMON_AVX512 void floor_avx512(const double* src, size_t n, float* dst) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(dst + i, _mm512_cvt_roundpd_ps(_mm512_loadu_pd(src + i),
                                                    _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
  }
  for (; i < n; ++i) dst[i] = floor_float(src[i]);
}

}  // namespace

bool avx512_available() { return have_avx512(); }

bool path_sums_avx512(const CompleteTrees::Layout& t, const float* x, size_t rows, size_t cols,
                      float* scratch, float* sums) {
  if (!have_avx512() || rows % (16 * kGroups) != 0) return false;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) scratch[c * rows + r] = x[r * cols + c];
  }
  if (cols == 8) {
    sums_avx512<true>(t, x, rows, cols, scratch, sums);
  } else {
    sums_avx512<false>(t, x, rows, cols, scratch, sums);
  }
  return true;
}

void floor_floats(const double* src, size_t n, float* dst) {
  if (have_avx512()) {
    floor_avx512(src, n, dst);
    return;
  }
  for (size_t i = 0; i < n; ++i) dst[i] = floor_float(src[i]);
}

#else

bool avx512_available() { return false; }

bool path_sums_avx512(const CompleteTrees::Layout&, const float*, size_t, size_t, float*,
                      float*) {
  return false;
}

void floor_floats(const double* src, size_t n, float* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = floor_float(src[i]);
}

#endif

}  // namespace envmon::models::isolation_forest::kernels
