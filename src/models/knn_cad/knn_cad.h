#pragma once

#include <deque>
#include <vector>

#include <Eigen/Dense>

#include "models/knn_cad/knn_cad_config.h"

namespace envmon::models::knn_cad {

// KNN conformal anomaly detection (Burnaev and Ishimtsev, "Conformalized density- and
// distance-based anomaly detection in time-series data", 2016) for one series:
//  - a point is the window w_t of the last window_points values;
//  - its non-conformity a(w) = sum of the `neighbours` smallest Mahalanobis distances
//    (w - r)^T S (w - r) to the reference windows r, S = (R^T R)^-1 refitted every
//    fit_points / 2 points;
//  - its score = the share of the last fit_points calibration non-conformities below a(w_t):
//    a conformal p-value, so scores mean the same on every series. Beyond every calibration
//    score it is 1 - (largest calibration score / a(w_t)) / fit_points, so the top ties break
//    by distance.
// The first fit_points windows form the reference set (score 0). After that each window joins
// the calibration queue, and leaves it into the reference set fit_points later, so the
// reference follows the series with a lag. Work per point: fit_points distances in a whitened
// space (window_points multiplications each).
class KnnCad {
 public:
  explicit KnnCad(const KnnCadConfig& config);

  // The score of the window ending at `value`, in [0, 1]; non-finite values are skipped (0).
  double update(double value);

  const KnnCadConfig& config() const { return config_; }

 private:
  Eigen::VectorXd window() const;
  void refit_metric();
  double nonconformity(const Eigen::VectorXd& whitened, bool in_reference) const;

  KnnCadConfig config_;
  std::deque<double> values_;               // the last window_points values
  std::deque<Eigen::VectorXd> reference_;   // raw windows
  std::deque<Eigen::VectorXd> whitened_;    // reference windows times the metric's factor
  std::deque<Eigen::VectorXd> pending_;     // scored windows waiting to join the reference
  std::deque<double> calibration_;          // non-conformities of recent windows
  Eigen::MatrixXd factor_;                  // U with S = U^T U
  long scored_ = 0;
  mutable std::vector<double> dist_;        // scratch
  Eigen::VectorXd scored_whitened_;         // scratch: the scored window times the factor
};

}  // namespace envmon::models::knn_cad
