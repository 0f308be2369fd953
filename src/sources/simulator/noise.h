#pragma once

#include <cstdint>
#include <string_view>

namespace envmon::sources::sim {

// Deterministic randomness for the simulator. Every random-looking quantity is a hash of
// (seed, station, metric, time) rather than the output of a stateful generator, so a reading
// is a pure function of its inputs and a restarted source regenerates identical bytes.

// SplitMix64 finaliser: a cheap, well-mixed 64-bit permutation.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline uint64_t hash_combine(uint64_t a, uint64_t b) {
  return mix64(a ^ mix64(b));
}
inline uint64_t hash_combine(uint64_t a, uint64_t b, uint64_t c) {
  return hash_combine(hash_combine(a, b), c);
}

// FNV-1a then mixed: stable across runs and platforms (std::hash is not).
uint64_t hash_string(std::string_view s);

// Uniform in [0, 1) from the top 53 bits.
inline double unit_hash(uint64_t h) {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}
// Uniform in [lo, hi).
inline double uniform_hash(uint64_t h, double lo, double hi) {
  return lo + (hi - lo) * unit_hash(h);
}
// Standard normal (Box-Muller on two derived uniforms).
double gaussian_hash(uint64_t h);

// Smooth value noise in [-1, 1] over time: random values on a lattice every `period_secs`,
// joined by a quintic fade so the curve and its slope are continuous.
double value_noise(uint64_t key, double t_secs, double period_secs);
// Sum of `octaves` value-noise layers (period halves, amplitude halves), normalised to [-1, 1].
double fractal_noise(uint64_t key, double t_secs, double base_period_secs, int octaves);

}  // namespace envmon::sources::sim
