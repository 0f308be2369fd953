#include "sources/http/backoff.h"

#include <algorithm>

namespace envmon::sources::http {

Millis Backoff::ceiling(int64_t attempt) const {
  const int64_t shift = std::clamp<int64_t>(attempt, 0, 40);
  const double ceil =
      static_cast<double>(initial_.count()) * static_cast<double>(int64_t{1} << shift);
  return Millis(static_cast<int64_t>(std::min(ceil, static_cast<double>(cap_.count()))));
}

Millis Backoff::delay(int64_t attempt) {
  std::uniform_int_distribution<int64_t> dist(0, ceiling(attempt).count());
  return Millis(dist(rng_));
}

}  // namespace envmon::sources::http
