#include "models/artime/dual_vigilance_art.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace envmon::models::artime {

DualVigilanceArt::DualVigilanceArt(size_t dim) : dim_(dim), sample_(2 * dim) {}

void DualVigilanceArt::set_vigilance(double lower, double upper) {
  lower_ = lower;
  upper_ = upper;
}

void DualVigilanceArt::add_category(uint32_t label) {
  weights_.insert(weights_.end(), sample_.begin(), sample_.end());
  labels_.push_back(label);
}

// Match and energy of the sample against every category. A category whose energy elements are
// both 0 has an undefined energy (0/0): NaN, which sorts first and ends the search (as the
// published detector's arithmetic does).
void DualVigilanceArt::match_all() {
  const size_t n = labels_.size();
  const size_t width = 2 * dim_;
  match_.resize(n);
  energy_.resize(n);
  for (size_t c = 0; c < n; ++c) {
    const double* w = &weights_[c * width];
    double common = 0, norm = 0;
    for (size_t k = 0; k < width; ++k) {
      common += std::min(sample_[k], w[k]);
      norm += w[k];
    }
    if (norm == 0) norm = 0.001;
    const double energy_w = w[dim_ - 1] + w[width - 1];
    const double energy_common =
        std::min(sample_[dim_ - 1], w[dim_ - 1]) + std::min(sample_[width - 1], w[width - 1]);
    const double energy = energy_common / energy_w;
    const double features = common / norm;
    match_[c] = features * features * features * energy * energy;
    energy_[c] = energy;
  }
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), 0U);
  std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
    if (std::isnan(match_[a])) return !std::isnan(match_[b]);
    return !std::isnan(match_[b]) && match_[a] > match_[b];
  });
}

DualVigilanceArt::Presentation DualVigilanceArt::present(std::span<const double> features,
                                                         bool learn) {
  for (size_t k = 0; k < dim_; ++k) {
    sample_[k] = features[k];
    sample_[dim_ + k] = 1.0 - features[k];
  }
  if (labels_.empty()) {
    std::fill(sample_.begin(), sample_.end(), 1.0);
    add_category(1);
    clusters_ = 1;
    return {false, 0.0, 0.0};
  }
  match_all();
  Presentation out;
  const size_t width = 2 * dim_;
  for (uint32_t c : order_) {
    if (match_[c] > out.match) {
      out.match = match_[c];
      out.energy = energy_[c];
    }
    if (!learn) continue;
    if (match_[c] >= upper_) {
      double* w = &weights_[c * width];
      for (size_t k = 0; k < width; ++k) w[k] = std::min(w[k], sample_[k]);
      out.novel = false;
    } else if (match_[c] >= lower_ && out.novel) {
      add_category(labels_[c]);
      out.novel = false;
      break;
    } else {
      break;
    }
  }
  if (out.novel && learn) add_category(++clusters_);
  return out;
}

}  // namespace envmon::models::artime
