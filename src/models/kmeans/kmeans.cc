#include "models/kmeans/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include <nlohmann/json.hpp>

#include "registry/model_format.h"

namespace envmon::models::kmeans {

namespace {

constexpr std::string_view kKind = "kmeans";
constexpr int64_t kFormatVersion = 1;

double sq_dist(std::span<const double> a, std::span<const double> b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

// k-means++: the first centre uniformly, each next one with probability proportional to the
// squared distance to the nearest centre chosen so far.
std::vector<double> seed_plus_plus(Points x, size_t k, std::mt19937_64& rng) {
  const size_t n = x.rows();
  std::vector<double> centres;
  centres.reserve(k * x.dims);
  const auto add = [&](size_t i) { centres.insert(centres.end(), x.row(i).begin(), x.row(i).end()); };
  add(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
  std::vector<double> d2(n, std::numeric_limits<double>::infinity());
  for (size_t c = 1; c < k; ++c) {
    const std::span<const double> last(centres.data() + (c - 1) * x.dims, x.dims);
    for (size_t i = 0; i < n; ++i) d2[i] = std::min(d2[i], sq_dist(x.row(i), last));
    const double total = std::accumulate(d2.begin(), d2.end(), 0.0);
    size_t pick = 0;
    if (total > 0) {
      double r = std::uniform_real_distribution<double>(0, total)(rng);
      while (pick + 1 < n && (r -= d2[pick]) > 0) ++pick;
    } else {
      pick = std::uniform_int_distribution<size_t>(0, n - 1)(rng);  // all points coincide
    }
    add(pick);
  }
  return centres;
}

// Lloyd iterations from `m.centroids`; an emptied cluster takes the point farthest from its
// centre, so k clusters stay k.
void lloyd(Points x, KMeansModel& m, const KMeansConfig& cfg) {
  const size_t n = x.rows();
  std::vector<int32_t> labels(n, 0);
  for (m.iterations = 1; m.iterations <= cfg.max_iterations; ++m.iterations) {
    std::vector<double> sums(m.k * m.dims, 0.0);
    std::vector<size_t> counts(m.k, 0);
    std::vector<double> dist(n);
    for (size_t i = 0; i < n; ++i) {
      labels[i] = m.assign(x.row(i));
      dist[i] = sq_dist(x.row(i), m.centroid(static_cast<size_t>(labels[i])));
      ++counts[static_cast<size_t>(labels[i])];
      for (size_t d = 0; d < m.dims; ++d) sums[static_cast<size_t>(labels[i]) * m.dims + d] += x.row(i)[d];
    }
    double moved = 0;
    for (size_t c = 0; c < m.k; ++c) {
      std::vector<double> next(m.dims);
      if (counts[c] == 0) {
        const size_t far = static_cast<size_t>(std::max_element(dist.begin(), dist.end()) - dist.begin());
        std::copy(x.row(far).begin(), x.row(far).end(), next.begin());
        dist[far] = 0;
      } else {
        for (size_t d = 0; d < m.dims; ++d) next[d] = sums[c * m.dims + d] / static_cast<double>(counts[c]);
      }
      moved = std::max(moved, sq_dist(next, m.centroid(c)));
      std::copy(next.begin(), next.end(), m.centroids.begin() + static_cast<long>(c * m.dims));
    }
    if (moved <= cfg.tolerance) break;
  }
  m.iterations = std::min(m.iterations, cfg.max_iterations);
  m.inertia = 0;
  for (size_t i = 0; i < n; ++i) m.inertia += sq_dist(x.row(i), m.centroid(static_cast<size_t>(m.assign(x.row(i)))));
}

Status check_points(Points x) {
  if (x.dims == 0 || x.data.empty()) return Error(Errc::invalid_argument, "kmeans: no points");
  if (x.data.size() % x.dims != 0)
    return Error(Errc::invalid_argument, "kmeans: data size is not a multiple of dims");
  for (size_t i = 0; i < x.data.size(); ++i) {
    if (!std::isfinite(x.data[i]))
      return Error(Errc::invalid_argument, "kmeans: point " + std::to_string(i / x.dims) +
                                               " has a non-finite value");
  }
  return ok_status();
}

}  // namespace

int32_t KMeansModel::assign(std::span<const double> point) const {
  int32_t best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < k; ++c) {
    const double d = sq_dist(point, centroid(c));
    if (d < best_d) best_d = d, best = static_cast<int32_t>(c);
  }
  return best;
}

std::vector<int32_t> KMeansModel::assign_all(Points x) const {
  std::vector<int32_t> out(x.rows());
  for (size_t i = 0; i < x.rows(); ++i) out[i] = assign(x.row(i));
  return out;
}

Result<KMeansModel> fit(Points x, size_t k, const KMeansConfig& config) {
  ENVMON_TRY(check_points(x));
  if (k < 1 || k > x.rows())
    return Error(Errc::invalid_argument, "kmeans: k = " + std::to_string(k) + " with " +
                                             std::to_string(x.rows()) + " points");
  KMeansModel best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int64_t r = 0; r < config.restarts; ++r) {
    // One generator per (seed, k, restart): a fit does not depend on which k ran before it.
    std::seed_seq seq{static_cast<uint64_t>(config.seed), static_cast<uint64_t>(k), static_cast<uint64_t>(r)};
    std::mt19937_64 rng(seq);
    KMeansModel m{k, x.dims, seed_plus_plus(x, k, rng), 0, 0};
    lloyd(x, m, config);
    if (m.inertia < best.inertia) best = std::move(m);
  }
  return best;
}

std::vector<double> silhouette_values(Points x, std::span<const int32_t> labels, size_t k) {
  const size_t n = x.rows();
  std::vector<size_t> sizes(k, 0);
  for (int32_t l : labels) ++sizes[static_cast<size_t>(l)];
  std::vector<double> out(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const size_t own = static_cast<size_t>(labels[i]);
    if (sizes[own] <= 1) continue;
    std::vector<double> sum(k, 0.0);
    for (size_t j = 0; j < n; ++j) {
      if (j != i) sum[static_cast<size_t>(labels[j])] += std::sqrt(sq_dist(x.row(i), x.row(j)));
    }
    const double a = sum[own] / static_cast<double>(sizes[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (size_t c = 0; c < k; ++c) {
      if (c != own && sizes[c] > 0) b = std::min(b, sum[c] / static_cast<double>(sizes[c]));
    }
    const double denom = std::max(a, b);
    out[i] = std::isfinite(b) && denom > 0 ? (b - a) / denom : 0.0;
  }
  return out;
}

double mean(std::span<const double> v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

Result<Selection> select_k(Points x, const KMeansConfig& config) {
  ENVMON_TRY(check_points(x));
  const size_t n = x.rows();
  const size_t k_lo = static_cast<size_t>(config.k_min);
  const size_t k_hi = std::min(static_cast<size_t>(config.k_max), n - 1);
  if (n < 3 || k_lo > k_hi)
    return Error(Errc::invalid_argument, "kmeans: " + std::to_string(n) +
                                             " points are too few for k in [" +
                                             std::to_string(config.k_min) + ", " +
                                             std::to_string(config.k_max) + "]");
  Selection best;
  best.silhouette = -std::numeric_limits<double>::infinity();
  std::vector<std::pair<size_t, double>> tried;
  for (size_t k = k_lo; k <= k_hi; ++k) {
    auto m = fit(x, k, config);
    if (!m.ok()) return m.error();
    auto labels = m->assign_all(x);
    auto sil = silhouette_values(x, labels, k);
    const double s = mean(sil);
    tried.emplace_back(k, s);
    if (s > best.silhouette) best = Selection{std::move(*m), std::move(labels), std::move(sil), s, {}};
  }
  best.tried = std::move(tried);
  return best;
}

std::string KMeansModel::save() const {
  const nlohmann::json body = {{"k", k},       {"dims", dims},           {"centroids", centroids},
                               {"inertia", inertia}, {"iterations", iterations}};
  return registry::wrap_model(kKind, kFormatVersion, body.dump());
}

Result<KMeansModel> KMeansModel::load(std::string_view bytes) {
  auto env = registry::unwrap_model(bytes, kKind, kFormatVersion);
  if (!env.ok()) return env.error();
  const auto body = nlohmann::json::parse(env->body_json);
  const auto bad = [](std::string_view what) {
    return Error(Errc::decode_field, "kmeans model: " + std::string(what));
  };
  const auto k = body.find("k");
  const auto dims = body.find("dims");
  const auto cents = body.find("centroids");
  if (k == body.end() || !k->is_number_unsigned() || k->get<size_t>() == 0) return bad("field 'k' is not a positive count");
  if (dims == body.end() || !dims->is_number_unsigned() || dims->get<size_t>() == 0)
    return bad("field 'dims' is not a positive count");
  if (cents == body.end() || !cents->is_array() || cents->size() != k->get<size_t>() * dims->get<size_t>())
    return bad("field 'centroids' does not hold k x dims numbers");
  KMeansModel m;
  m.k = k->get<size_t>();
  m.dims = dims->get<size_t>();
  for (const auto& v : *cents) {
    if (!v.is_number()) return bad("field 'centroids' holds a non-number");
    m.centroids.push_back(v.get<double>());
  }
  if (const auto in = body.find("inertia"); in != body.end() && in->is_number()) m.inertia = in->get<double>();
  if (const auto it = body.find("iterations"); it != body.end() && it->is_number_integer())
    m.iterations = it->get<int64_t>();
  return m;
}

}  // namespace envmon::models::kmeans
