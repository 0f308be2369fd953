#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/app_config.h"
#include "core/time.h"
#include "model/reading.h"
#include "net/http_types.h"

namespace envmon::sources::http {

// One thing an API source fetches again and again: a (station, endpoint) pair. The polling
// engine owns when it runs; the provider owns what it asks and how the answer is read.
struct FetchTask {
  size_t station_index = 0;  // into the station list the provider was built with
  std::string endpoint;      // provider-specific: "weather", "air_pollution", "feed", ...
  // The provider refreshes this data no faster than this: polling faster only burns quota.
  Seconds min_interval{600};
  double weight = 1.0;  // quota units one call costs (Open-Meteo weights by variables/days)
  // A quota of its own besides the provider's (OWM One Call has a daily allowance of its own);
  // empty when only the provider-wide limits apply.
  std::string quota_group;
};

// A limit on one window for one quota group, from the provider's config.
enum class QuotaWindow : uint8_t { minute, hour, day, month };
struct QuotaSpec {
  std::string group;  // matches FetchTask::quota_group
  QuotaWindow window = QuotaWindow::day;
  int64_t limit = 0;  // calls (weight units) per window; 0 = unlimited
};

// How the engine must treat an answer, beyond the readings it carried.
enum class Outcome : uint8_t {
  ok,                    // readings (possibly none, e.g. a stale station) were extracted
  transient,             // network error, 5xx, HTML from a proxy: back off with jitter and retry
  rate_limited,          // 429 / "Over quota": pause the whole provider (Retry-After if given)
  unauthorized,          // key missing or wrong: pause the whole source, say so once
  endpoint_unavailable,  // key valid but not for this endpoint (One Call without subscription)
  not_found,             // the provider does not know this station: retry rarely
  bad_payload,           // unparseable or invalid body: dead-letter it, keep the schedule
};
std::string_view outcome_name(Outcome o);

// A rejected payload or reading, with the reason; the engine adds provider, URL and raw body.
struct Reject {
  std::string error_code;  // errc_name(): source_payload, validate_bounds, source_stale, ...
  std::string reason;      // names the field: "data.time.iso: missing and time.s unusable"
};

struct ParseResult {
  Outcome outcome = Outcome::ok;
  std::vector<Reading> readings;
  std::vector<Reject> rejects;
  // Values the provider sent as "no data" ("-", null): not errors, counted as discarded.
  size_t missing_values = 0;
  std::string message;                 // the provider's own error text, for logs
  std::optional<Seconds> retry_after;  // from the body when the provider puts it there
};

// An API source is a request builder plus a parser; the engine does everything else.
class Provider {
 public:
  virtual ~Provider() = default;
  virtual std::string_view name() const = 0;  // "openweathermap", "waqi", "openmeteo"
  // Quotas of task groups beyond the provider-wide limits in PollerConfig.
  virtual std::vector<QuotaSpec> group_quotas() const { return {}; }
  // The fetch tasks for these stations (the same list the provider gets in build/parse).
  virtual std::vector<FetchTask> tasks(
      const std::vector<config::StationConfig>& stations) const = 0;
  virtual net::HttpRequest build(const FetchTask& task,
                                 const config::StationConfig& station) const = 0;
  // `now` is the engine's clock: ingested_at, and staleness of the provider's timestamps.
  virtual ParseResult parse(const FetchTask& task, const config::StationConfig& station,
                            const net::HttpResponse& response, Timestamp now) const = 0;
};

}  // namespace envmon::sources::http
