#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "models/kmeans/kmeans_config.h"

namespace envmon::models::kmeans {

// Row-major points: rows x dims, borrowed.
struct Points {
  std::span<const double> data;
  size_t dims = 0;
  size_t rows() const { return dims == 0 ? 0 : data.size() / dims; }
  std::span<const double> row(size_t i) const { return data.subspan(i * dims, dims); }
};

// A fitted k-means model: k centroids of `dims` values, row-major.
struct KMeansModel {
  size_t k = 0;
  size_t dims = 0;
  std::vector<double> centroids;
  double inertia = 0;  // sum of squared distances of the training points to their centroid
  int64_t iterations = 0;

  std::span<const double> centroid(size_t c) const { return {centroids.data() + c * dims, dims}; }
  int32_t assign(std::span<const double> point) const;  // nearest centroid
  std::vector<int32_t> assign_all(Points x) const;

  // The versioned model envelope (kind "kmeans", version 1).
  std::string save() const;
  static Result<KMeansModel> load(std::string_view bytes);
};

// Lloyd's algorithm from k-means++ seeds (Arthur and Vassilvitskii, 2007), `restarts` times with
// seeds derived from config.seed; the fit with the lowest inertia wins. Deterministic for a seed.
// Errors on k < 1, k > rows, ragged or non-finite points.
Result<KMeansModel> fit(Points x, size_t k, const KMeansConfig& config);

// Silhouette s(i) = (b - a) / max(a, b), a = mean distance to its own cluster, b = the smallest
// mean distance to another cluster; 0 for a point alone in its cluster (Rousseeuw, 1987).
std::vector<double> silhouette_values(Points x, std::span<const int32_t> labels, size_t k);
double mean(std::span<const double> v);

// k in [k_min, min(k_max, rows - 1)] by the highest mean silhouette.
struct Selection {
  KMeansModel model;
  std::vector<int32_t> labels;
  std::vector<double> silhouettes;  // per point
  double silhouette = 0;            // mean
  std::vector<std::pair<size_t, double>> tried;  // (k, mean silhouette)
};
Result<Selection> select_k(Points x, const KMeansConfig& config);

}  // namespace envmon::models::kmeans
