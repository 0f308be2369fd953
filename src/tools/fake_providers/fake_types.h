#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace envmon::fake_providers {

// The three APIs the fake imitates, all served from one port.
enum class Provider : uint8_t { openweathermap, waqi, openmeteo, unknown };
inline constexpr Provider kAllProviders[] = {Provider::openweathermap, Provider::waqi,
                                             Provider::openmeteo};
std::string_view provider_name(Provider p);          // "openweathermap" | "waqi" | "openmeteo"
Provider provider_from_name(std::string_view name);  // unknown for anything else

// verbatim: bodies are the sample bytes. now: every timestamp in a body is shifted so the main
// observation lands on floor(now, time_step_secs), and coordinates/ids follow the request, so a
// poller of many stations sees distinct, current data.
enum class TimeMode : uint8_t { verbatim, now };

struct FakeOptions {
  std::string samples_dir;  // holds openweathermap/, aqicn/, open-meteo/
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port (read it back with FakeProviders::port())
  // provider name -> accepted key; a provider without an entry accepts any key (or none).
  std::map<std::string, std::string, std::less<>> keys;
  bool onecall_subscribed = false;
  TimeMode time_mode = TimeMode::verbatim;
  int64_t time_step_secs = 600;
  int threads = 64;
  // Source of "now" for time shifting and for request arrival times in the stats;
  // null = the system clock. Not owned; must outlive the server.
  const Clock* clock = nullptr;
};

// Faults injected into one provider's answers. Deterministic ones (burst, every-Nth 429) are
// applied first, then the random ones in the order listed, each drawn from a PRNG seeded with
// `seed` (set_faults restarts the sequence and the counters).
struct Faults {
  int64_t latency_ms = 0;        // sleep before answering
  int64_t status_429_every = 0;  // every Nth request to the provider is rate limited
  int64_t retry_after_secs = 0;  // Retry-After header on those answers; 0 = none
  int64_t burst_5xx = 0;         // the next N requests answer 503
  double reset_rate = 0;         // connection closed without any response
  double malformed_rate = 0;     // 200 with broken JSON
  double truncated_rate = 0;     // full Content-Length promised, half the body, then close
  int64_t slow_drip_ms = 0;      // body sent in 16-byte pieces with this delay between
  double html_rate = 0;          // 200 text/html page (CDN/proxy answering instead of the API)
  uint64_t seed = 1;
};

struct ProviderStats {
  int64_t total = 0;
  std::map<int, int64_t> by_status;       // HTTP status -> count; 0 = connection reset
  std::map<std::string, int64_t> faults;  // fault kind -> count ("reset", "5xx", "429", ...)
  // Largest number of arrivals inside any window of that length, (t - w, t].
  int64_t max_per_minute = 0;
  int64_t max_per_hour = 0;
  int64_t max_per_day = 0;
  // "lat,lon" with 4 fixed decimals (or "@uid" / "city:name" when the request had no
  // coordinates) -> main observation time (unix seconds) of each data body served in full.
  std::map<std::string, std::vector<int64_t>> station_observations;
};

struct Stats {
  std::map<std::string, ProviderStats> providers;  // keyed by provider_name()
};

}  // namespace envmon::fake_providers
