#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "sources/http/provider.h"

namespace envmon::sources::http {

Millis window_length(QuotaWindow w);  // minute, hour, day, month = 30 days
std::string_view window_name(QuotaWindow w);

// One token bucket sized so that NO sliding window of length W ever sees more than L calls:
// capacity C = max(1, burst_fraction * L) and refill (L - C) / W. In any window the calls are at
// most the bucket's content at its start (<= C) plus what refilled during it (<= L - C).
class TokenBucket {
 public:
  TokenBucket(QuotaWindow window, int64_t limit, double burst_fraction, Timestamp now);
  bool try_acquire(Timestamp now, double weight);
  Timestamp next_available(Timestamp now, double weight) const;
  double available(Timestamp now) const;
  QuotaWindow window() const { return window_; }
  int64_t limit() const { return limit_; }

 private:
  QuotaWindow window_;
  int64_t limit_;
  double capacity_;
  double rate_per_ms_;
  double tokens_;
  Timestamp updated_;
};

// Several buckets (minute/hour/day/month) that must all agree: a call takes from every bucket
// or from none.
class RateLimiter {
 public:
  RateLimiter() = default;
  void add(QuotaWindow window, int64_t limit, double burst_fraction, Timestamp now);
  bool try_acquire(Timestamp now, double weight);
  Timestamp next_available(Timestamp now, double weight) const;
  const std::vector<TokenBucket>& buckets() const { return buckets_; }
  bool empty() const { return buckets_.empty(); }

 private:
  std::vector<TokenBucket> buckets_;
};

}  // namespace envmon::sources::http
