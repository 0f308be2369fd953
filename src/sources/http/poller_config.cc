#include "sources/http/poller_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace envmon::sources::http {

namespace {

using S = config::Schema<PollerConfig>;
constexpr double kMaxCalls = 1e12;

void add_quota_keys(S& s, const PollerConfig& d) {
  s.integer("limit_per_minute", &PollerConfig::limit_per_minute, d.limit_per_minute, "calls", 0,
            kMaxCalls, "Provider-wide calls allowed per minute; 0 = no limit")
      .integer("limit_per_hour", &PollerConfig::limit_per_hour, d.limit_per_hour, "calls", 0,
               kMaxCalls, "Provider-wide calls allowed per hour; 0 = no limit")
      .integer("limit_per_day", &PollerConfig::limit_per_day, d.limit_per_day, "calls", 0,
               kMaxCalls, "Provider-wide calls allowed per day; 0 = no limit")
      .integer("limit_per_month", &PollerConfig::limit_per_month, d.limit_per_month, "calls", 0,
               kMaxCalls, "Provider-wide calls allowed per 30 days; 0 = no limit")
      .number("budget_fraction", &PollerConfig::budget_fraction, d.budget_fraction, "", 0.01, 1,
              "Share of each window's limit spent on scheduled calls; the rest absorbs retries")
      .number("burst_fraction", &PollerConfig::burst_fraction, d.burst_fraction, "", 0, 1,
              "Token-bucket burst as a share of a window's limit (at least one call)")
      .integer("refresh_floor_secs", &PollerConfig::refresh_floor_secs, d.refresh_floor_secs, "s",
               0, 86400,
               "Never poll one station endpoint faster than this (the provider's refresh)")
      .number("jitter_fraction", &PollerConfig::jitter_fraction, d.jitter_fraction, "", 0, 0.5,
              "+- share of the interval added to each scheduled fetch");
}

void add_network_keys(S& s, const PollerConfig& d) {
  s.integer("connect_timeout_ms", &PollerConfig::connect_timeout_ms, d.connect_timeout_ms, "ms", 1,
            600000, "TCP/TLS connect timeout per request")
      .integer("timeout_ms", &PollerConfig::timeout_ms, d.timeout_ms, "ms", 1, 3600000,
               "Total timeout per request")
      .integer("backoff_initial_ms", &PollerConfig::backoff_initial_ms, d.backoff_initial_ms, "ms",
               1, 3600000, "First retry delay cap; doubles per attempt (full jitter)")
      .integer("backoff_max_secs", &PollerConfig::backoff_max_secs, d.backoff_max_secs, "s", 1,
               86400, "Largest retry delay")
      .integer("max_retries", &PollerConfig::max_retries, d.max_retries, "", 0, 100,
               "Retries per fetch before it waits for its next scheduled slot")
      .integer("circuit_failure_threshold", &PollerConfig::circuit_failure_threshold,
               d.circuit_failure_threshold, "", 1, 10000,
               "Consecutive transient failures that open the provider's circuit")
      .integer("circuit_open_secs", &PollerConfig::circuit_open_secs, d.circuit_open_secs, "s", 1,
               86400, "Time the circuit stays open before one probe request");
}

void add_pause_keys(S& s, const PollerConfig& d) {
  s.integer("not_found_retry_secs", &PollerConfig::not_found_retry_secs, d.not_found_retry_secs,
            "s", 1, 31622400, "Retry delay for a station the provider does not know")
      .integer("auth_retry_secs", &PollerConfig::auth_retry_secs, d.auth_retry_secs, "s", 1,
               31622400, "Pause after the provider rejected the key (whole source or one endpoint)")
      .integer("max_in_flight", &PollerConfig::max_in_flight, d.max_in_flight, "", 1, 100000,
               "Requests of this source on the wire at once")
      .integer("max_host_connections", &PollerConfig::max_host_connections, d.max_host_connections,
               "", 1, 10000, "Connections per host (kept alive and reused)")
      .integer("stale_after_secs", &PollerConfig::stale_after_secs, d.stale_after_secs, "s", 1,
               31622400, "Provider observations older than this are discarded as stale");
}

}  // namespace

config::Schema<PollerConfig> poller_schema(const PollerDefaults& defaults) {
  S s("sources[].<api provider> (polling engine)");
  add_quota_keys(s, defaults.values);
  add_network_keys(s, defaults.values);
  add_pause_keys(s, defaults.values);
  return s;
}

Status fill_poller_config(const config::Node& block, const PollerDefaults& defaults,
                          const std::vector<std::string>& provider_keys, PollerConfig& out) {
  return config::fill(block, poller_schema(defaults), out, provider_keys);
}

std::vector<std::string> poller_key_names() {
  std::vector<std::string> out;
  for (const auto& spec : poller_schema(PollerDefaults{}).specs())
    out.push_back(spec.key);
  return out;
}

namespace {

// A key goes into a URL or a header: a control character (a second line, a stray NUL) would
// corrupt the request, so it is refused here with the place named and the value never shown.
Result<std::string> checked_secret(std::string value, const std::string& where) {
  const bool control = std::any_of(value.begin(), value.end(), [](char c) {
    return std::iscntrl(static_cast<unsigned char>(c)) != 0;
  });
  if (control) {
    return Error(Errc::config_bad_value,
                 where + " holds a control character or more than one line");
  }
  return value;
}

Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::config_bad_value, "cannot read secret file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string value = ss.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
    value.pop_back();
  if (value.empty()) return Error(Errc::config_bad_value, "secret file " + path + " is empty");
  return checked_secret(std::move(value), "secret file " + path);
}

}  // namespace

Result<std::string> resolve_secret(const std::string& env_name, const std::string& file_path) {
  if (!env_name.empty()) {
    const char* v = std::getenv(env_name.c_str());
    if (v != nullptr && *v != '\0') {
      return checked_secret(v, "environment variable " + env_name);
    }
  }
  if (!file_path.empty()) {
    auto from_file = read_secret_file(file_path);
    if (from_file.ok() || env_name.empty()) return from_file;
    return Error(from_file.error().code(), "environment variable " + env_name +
                                               " is not set or empty, and " +
                                               from_file.error().message());
  }
  if (env_name.empty()) return Error(Errc::config_missing_key, "no secret variable or file given");
  return Error(Errc::config_env_missing,
               "environment variable " + env_name + " is not set or empty");
}

}  // namespace envmon::sources::http
