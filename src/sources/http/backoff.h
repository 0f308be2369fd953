#pragma once

#include <cstdint>
#include <random>

#include "core/time.h"

namespace envmon::sources::http {

// Exponential backoff with FULL jitter: delay = uniform(0, min(cap, initial * 2^attempt)).
// Full jitter spreads the retries of many failed tasks instead of synchronising them.
class Backoff {
 public:
  Backoff(Millis initial, Millis cap, uint64_t seed) : initial_(initial), cap_(cap), rng_(seed) {}
  Millis ceiling(int64_t attempt) const;  // min(cap, initial * 2^attempt)
  Millis delay(int64_t attempt);

 private:
  Millis initial_;
  Millis cap_;
  std::mt19937_64 rng_;
};

}  // namespace envmon::sources::http
