#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::sources::http {

// The polling engine's keys, shared by every API source and written in the source's type block
// beside the provider's own keys (`openmeteo: {limit_per_minute: 600, forecast_base_url: ...}`).
// Defaults differ per provider (free-tier quotas, refresh cadence), hence PollerDefaults.
struct PollerConfig {
  // Provider-wide quota windows in calls; 0 = no limit for that window.
  int64_t limit_per_minute = 0;
  int64_t limit_per_hour = 0;
  int64_t limit_per_day = 0;
  int64_t limit_per_month = 0;
  // Share of each window's limit the planner may spend on scheduled calls; the rest absorbs
  // retries, so a day's quota is never exhausted before the day ends.
  double budget_fraction = 0.9;
  // A token bucket's burst, as a fraction of its window's limit (at least 1 call).
  double burst_fraction = 0.1;
  // Never poll one station's endpoint faster than the provider refreshes it (endpoints with a
  // slower refresh, such as hourly air quality, keep their own longer floor). Lower only for a
  // mirror or a test server.
  int64_t refresh_floor_secs = 600;
  double jitter_fraction = 0.1;  // +- share of the interval added to each schedule
  int64_t connect_timeout_ms = 5000;
  int64_t timeout_ms = 20000;
  int64_t backoff_initial_ms = 1000;
  int64_t backoff_max_secs = 300;
  int64_t max_retries = 5;  // per fetch, then it waits for its next scheduled slot
  int64_t circuit_failure_threshold = 5;
  int64_t circuit_open_secs = 60;
  int64_t not_found_retry_secs = 3600;
  int64_t auth_retry_secs = 3600;
  int64_t max_in_flight = 256;
  int64_t max_host_connections = 32;
  int64_t stale_after_secs = 10800;  // provider observations older than this are discarded
};

// Per-provider defaults for the keys above (free-tier quotas and data refresh).
struct PollerDefaults {
  PollerConfig values;
};

// The schema for the engine keys with this provider's defaults.
config::Schema<PollerConfig> poller_schema(const PollerDefaults& defaults);

// Fills `out` from a source type block that also holds provider keys (`provider_keys` are
// accepted and left for the provider's own schema).
Status fill_poller_config(const config::Node& block, const PollerDefaults& defaults,
                          const std::vector<std::string>& provider_keys, PollerConfig& out);

// Names of the engine keys, so a provider schema can pass them through.
std::vector<std::string> poller_key_names();

// A secret from the environment variable `env_name` or the file `file_path` (trailing newline
// trimmed). Error names the variable or file, never the value.
Result<std::string> resolve_secret(const std::string& env_name, const std::string& file_path);

}  // namespace envmon::sources::http
