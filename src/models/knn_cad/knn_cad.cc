#include "models/knn_cad/knn_cad.h"

#include <algorithm>
#include <cmath>

namespace envmon::models::knn_cad {

KnnCad::KnnCad(const KnnCadConfig& config) : config_(config) {
  config_.window_points = std::max<int64_t>(config_.window_points, 1);
  config_.fit_points = std::max<int64_t>(config_.fit_points, 4);
  config_.neighbours = std::clamp<int64_t>(config_.neighbours, 1, config_.fit_points - 2);
  factor_ = Eigen::MatrixXd::Identity(config_.window_points, config_.window_points);
}

Eigen::VectorXd KnnCad::window() const {
  Eigen::VectorXd w(static_cast<Eigen::Index>(values_.size()));
  for (size_t i = 0; i < values_.size(); ++i) w(static_cast<Eigen::Index>(i)) = values_[i];
  return w;
}

// S = (R^T R)^-1 as in the paper's NAB entry; a tiny ridge keeps a flat series invertible.
// With R^T R = L L^T, S = L^-T L^-1, so whitening by U = L^-1 turns the metric Euclidean.
void KnnCad::refit_metric() {
  const auto d = static_cast<Eigen::Index>(config_.window_points);
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(d, d);
  for (const auto& r : reference_) gram.noalias() += r * r.transpose();
  const double ridge = 1e-9 * std::max(gram.trace() / static_cast<double>(d), 1e-12);
  gram += ridge * Eigen::MatrixXd::Identity(d, d);
  Eigen::LLT<Eigen::MatrixXd> llt(gram);
  if (llt.info() != Eigen::Success) return;  // keep the previous metric
  factor_ = llt.matrixL().solve(Eigen::MatrixXd::Identity(d, d));
  whitened_.clear();
  for (const auto& r : reference_) whitened_.push_back(factor_ * r);
}

double KnnCad::nonconformity(const Eigen::VectorXd& whitened, bool in_reference) const {
  dist_.clear();
  for (const auto& r : whitened_) dist_.push_back((r - whitened).squaredNorm());
  // A reference window's distance to itself (0) is not a neighbour.
  const size_t k = static_cast<size_t>(config_.neighbours) + (in_reference ? 1 : 0);
  std::nth_element(dist_.begin(), dist_.begin() + static_cast<std::ptrdiff_t>(k - 1), dist_.end());
  double sum = 0;
  for (size_t i = 0; i < k; ++i) sum += dist_[i];
  return sum;
}

double KnnCad::update(double value) {
  if (!std::isfinite(value)) return 0.0;
  values_.push_back(value);
  if (static_cast<int64_t>(values_.size()) > config_.window_points) values_.pop_front();
  if (static_cast<int64_t>(values_.size()) < config_.window_points) return 0.0;
  const auto fit = static_cast<size_t>(config_.fit_points);
  Eigen::VectorXd w = window();
  if (reference_.size() < fit) {
    reference_.push_back(std::move(w));
    if (reference_.size() == fit) {
      refit_metric();
      for (const auto& r : whitened_) calibration_.push_back(nonconformity(r, true));
    }
    return 0.0;
  }
  if (scored_ % static_cast<long>(std::max<size_t>(fit / 2, 1)) == 0 && scored_ > 0) refit_metric();
  ++scored_;
  scored_whitened_.noalias() = factor_ * w;  // reuses its storage from the previous point
  const double a = nonconformity(scored_whitened_, false);
  const auto below = std::count_if(calibration_.begin(), calibration_.end(),
                                   [a](double c) { return c < a; });
  const auto n = static_cast<double>(calibration_.size());
  double score = static_cast<double>(below) / n;
  // Beyond every calibration score the p-value would tie at 1, which with a few hundred
  // calibration windows happens by chance every few hundred points; the top bin is ordered by
  // how far beyond the largest calibration score the window lies, in (1 - 1/n, 1).
  if (static_cast<double>(below) == n) {
    const double top = *std::max_element(calibration_.begin(), calibration_.end());
    score = 1.0 - (a > 0 ? top / a : 1.0) / n;
  }
  calibration_.pop_front();
  calibration_.push_back(a);
  pending_.push_back(std::move(w));
  if (pending_.size() > fit) {  // the oldest scored window replaces the oldest reference
    reference_.pop_front();
    whitened_.pop_front();
    whitened_.push_back(factor_ * pending_.front());
    reference_.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  return score;
}

}  // namespace envmon::models::knn_cad
