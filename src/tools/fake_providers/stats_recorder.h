#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// Counts every API request the fake answers. Thread-safe; the server's worker threads share it.
class StatsRecorder {
 public:
  // A request reached the provider at `arrival_ms` (feeds the sliding windows).
  void record_arrival(Provider p, int64_t arrival_ms);
  // The answer it got: an HTTP status, or 0 when the connection was reset.
  void record_status(Provider p, int status);
  void record_fault(Provider p, std::string_view kind);
  // A data body served in full for a station, with its (possibly shifted) observation time.
  void record_observation(Provider p, const std::string& station_key, int64_t observed_secs);

  Stats snapshot() const;
  void reset();

 private:
  // Arrivals inside the last `window_ms`; the peak size seen is the exact sliding maximum
  // because a window holding the most arrivals can always be slid to end at an arrival.
  struct Window {
    explicit Window(int64_t w) : window_ms(w) {}
    int64_t window_ms;
    std::deque<int64_t> arrivals;
    int64_t peak = 0;
    int64_t newest = INT64_MIN;
    void add(int64_t t);
  };
  struct PerProvider {
    ProviderStats stats;
    std::array<Window, 3> windows{Window(60'000), Window(3'600'000), Window(86'400'000)};
  };

  PerProvider& slot(Provider p) { return slots_[static_cast<size_t>(p)]; }

  mutable std::mutex mu_;
  std::array<PerProvider, 4> slots_;  // indexed by Provider, including unknown
};

}  // namespace envmon::fake_providers
