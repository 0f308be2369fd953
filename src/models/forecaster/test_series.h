#pragma once

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "models/forecaster/forecaster.h"

namespace envmon::models::testing {

// A synthetic hourly series: level + slope per hour + a daily sine, plus Normal noise.
struct Synthetic {
  double level = 50, slope_per_hour = 0.01, daily_amplitude = 10, noise_sd = 1;
  int64_t start_unix = 1704067200;  // 2024-01-01T00:00Z

  double truth(size_t i) const {
    const double hour = static_cast<double>(i % 24);
    return level + slope_per_hour * static_cast<double>(i) +
           daily_amplitude * std::sin(2 * std::numbers::pi * hour / 24);
  }
  std::vector<double> series(size_t n, uint32_t seed = 1) const {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0, noise_sd);
    std::vector<double> y(n);
    for (size_t i = 0; i < n; ++i) y[i] = truth(i) + (noise_sd > 0 ? noise(rng) : 0);
    return y;
  }
  History history(const std::vector<double>& y) const {
    History h;
    h.y = y;
    h.start_unix = start_unix;
    return h;
  }
};

}  // namespace envmon::models::testing
