#include "sources/http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace envmon::sources::http {

Millis window_length(QuotaWindow w) {
  switch (w) {
    case QuotaWindow::minute:
      return Millis(60'000);
    case QuotaWindow::hour:
      return Millis(3'600'000);
    case QuotaWindow::day:
      return Millis(86'400'000);
    case QuotaWindow::month:
      return Millis(30LL * 86'400'000);
  }
  return Millis(86'400'000);
}

std::string_view window_name(QuotaWindow w) {
  switch (w) {
    case QuotaWindow::minute:
      return "minute";
    case QuotaWindow::hour:
      return "hour";
    case QuotaWindow::day:
      return "day";
    case QuotaWindow::month:
      return "month";
  }
  return "day";
}

namespace {

// C = max(1, burst * L) but below L, so (L - C) / W still refills; L = 1 is the exception: one
// token that refills in exactly one window, which a half-open window [t, t + W) sees once.
double bucket_capacity(int64_t limit, double burst_fraction) {
  const double l = static_cast<double>(limit);
  const double c = std::max(1.0, std::floor(burst_fraction * l));
  return limit <= 1 ? 1.0 : std::min(c, l - 1);
}

}  // namespace

TokenBucket::TokenBucket(QuotaWindow window, int64_t limit, double burst_fraction, Timestamp now)
    : window_(window),
      limit_(limit),
      capacity_(bucket_capacity(limit, burst_fraction)),
      rate_per_ms_((limit <= 1 ? 1.0 : static_cast<double>(limit) - capacity_) /
                   static_cast<double>(window_length(window).count())),
      tokens_(capacity_),
      updated_(now) {}

double TokenBucket::available(Timestamp now) const {
  const double elapsed = static_cast<double>(std::max<int64_t>(0, (now - updated_).count()));
  return std::min(capacity_, tokens_ + elapsed * rate_per_ms_);
}

bool TokenBucket::try_acquire(Timestamp now, double weight) {
  const double have = available(now);
  updated_ = std::max(updated_, now);
  tokens_ = have;
  // A call heavier than the whole bucket could never pass; let it through on a full bucket.
  const double need = std::min(weight, capacity_);
  if (have + 1e-9 < need) return false;
  tokens_ = have - weight;  // may go negative for an oversize call: the debt is repaid by waiting
  return true;
}

Timestamp TokenBucket::next_available(Timestamp now, double weight) const {
  const double need = std::min(weight, capacity_) - available(now);
  if (need <= 0) return now;
  return std::max(now, updated_) + Millis(static_cast<int64_t>(std::ceil(need / rate_per_ms_)));
}

void RateLimiter::add(QuotaWindow window, int64_t limit, double burst_fraction, Timestamp now) {
  if (limit > 0) buckets_.emplace_back(window, limit, burst_fraction, now);
}

bool RateLimiter::try_acquire(Timestamp now, double weight) {
  if (next_available(now, weight) > now) return false;
  for (auto& b : buckets_)
    b.try_acquire(now, weight);
  return true;
}

Timestamp RateLimiter::next_available(Timestamp now, double weight) const {
  Timestamp at = now;
  for (const auto& b : buckets_)
    at = std::max(at, b.next_available(now, weight));
  return at;
}

}  // namespace envmon::sources::http
