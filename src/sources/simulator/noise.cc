#include "sources/simulator/noise.h"

#include <cmath>
#include <numbers>

namespace envmon::sources::sim {

uint64_t hash_string(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

double gaussian_hash(uint64_t h) {
  // 1 - u keeps the log argument in (0, 1].
  const double u1 = 1.0 - unit_hash(mix64(h ^ 0x5851f42d4c957f2dULL));
  const double u2 = unit_hash(mix64(h ^ 0x14057b7ef767814fULL));
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double value_noise(uint64_t key, double t_secs, double period_secs) {
  const double x = t_secs / period_secs;
  const double cell = std::floor(x);
  const double f = x - cell;
  const auto i = static_cast<int64_t>(cell);
  const double a = unit_hash(hash_combine(key, static_cast<uint64_t>(i))) * 2.0 - 1.0;
  const double b = unit_hash(hash_combine(key, static_cast<uint64_t>(i + 1))) * 2.0 - 1.0;
  const double fade = f * f * f * (f * (f * 6.0 - 15.0) + 10.0);
  return a + (b - a) * fade;
}

double fractal_noise(uint64_t key, double t_secs, double base_period_secs, int octaves) {
  double sum = 0;
  double norm = 0;
  double amplitude = 1.0;
  double period = base_period_secs;
  for (int o = 0; o < octaves; ++o) {
    sum += amplitude * value_noise(hash_combine(key, static_cast<uint64_t>(o)), t_secs, period);
    norm += amplitude;
    amplitude *= 0.5;
    period *= 0.5;
  }
  return sum / norm;
}

}  // namespace envmon::sources::sim
