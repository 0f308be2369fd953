#include "tools/fake_providers/control_json.h"

#include <cstdio>

#include <simdjson.h>

namespace envmon::fake_providers {
namespace {

Status set_field(Faults& f, std::string_view key, simdjson::dom::element v) {
  const auto as_int = [&](int64_t& out) -> Status {
    const auto r = v.get_int64();
    if (r.error()) return Error(Errc::invalid_argument, std::string(key) + " must be an integer");
    out = r.value_unsafe();
    return ok_status();
  };
  const auto as_rate = [&](double& out) -> Status {
    const auto r = v.get_double();
    if (r.error() || r.value_unsafe() < 0 || r.value_unsafe() > 1) {
      return Error(Errc::invalid_argument, std::string(key) + " must be a number in [0, 1]");
    }
    out = r.value_unsafe();
    return ok_status();
  };
  if (key == "latency_ms") return as_int(f.latency_ms);
  if (key == "status_429_every") return as_int(f.status_429_every);
  if (key == "retry_after_secs") return as_int(f.retry_after_secs);
  if (key == "burst_5xx") return as_int(f.burst_5xx);
  if (key == "slow_drip_ms") return as_int(f.slow_drip_ms);
  if (key == "reset_rate") return as_rate(f.reset_rate);
  if (key == "malformed_rate") return as_rate(f.malformed_rate);
  if (key == "truncated_rate") return as_rate(f.truncated_rate);
  if (key == "html_rate") return as_rate(f.html_rate);
  if (key == "seed") {
    const auto r = v.get_uint64();
    if (r.error()) return Error(Errc::invalid_argument, "seed must be a non-negative integer");
    f.seed = r.value_unsafe();
    return ok_status();
  }
  return Error(Errc::invalid_argument, "unknown fault field '" + std::string(key) + "'");
}

// Keys here are provider names, fault kinds and station keys: no characters needing escapes.
void append_kv(std::string& out, std::string_view key, const std::string& value, bool& first) {
  if (!first) out += ',';
  first = false;
  out += '"';
  out += key;
  out += "\":";
  out += value;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string provider_json(const ProviderStats& s, bool with_stations) {
  std::string out = "{";
  bool first = true;
  append_kv(out, "total", std::to_string(s.total), first);
  std::string by_status = "{";
  bool f2 = true;
  for (const auto& [status, n] : s.by_status)
    append_kv(by_status, std::to_string(status), std::to_string(n), f2);
  append_kv(out, "by_status", by_status + "}", first);
  std::string faults = "{";
  bool f3 = true;
  for (const auto& [kind, n] : s.faults)
    append_kv(faults, kind, std::to_string(n), f3);
  append_kv(out, "faults", faults + "}", first);
  append_kv(out, "max_per_minute", std::to_string(s.max_per_minute), first);
  append_kv(out, "max_per_hour", std::to_string(s.max_per_hour), first);
  append_kv(out, "max_per_day", std::to_string(s.max_per_day), first);
  append_kv(out, "stations", std::to_string(s.station_observations.size()), first);
  if (with_stations) {
    std::string st = "{";
    bool f4 = true;
    for (const auto& [key, times] : s.station_observations) {
      std::string list = "[";
      for (size_t i = 0; i < times.size(); ++i)
        list += (i ? "," : "") + std::to_string(times[i]);
      append_kv(st, key, list + "]", f4);
    }
    append_kv(out, "station_observations", st + "}", first);
  }
  return out + "}";
}

}  // namespace

Result<Faults> faults_from_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc)) {
    return Error(Errc::invalid_argument, "fault body is not JSON");
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj))
    return Error(Errc::invalid_argument, "fault body must be an object");
  Faults f;
  for (const auto field : obj) {
    ENVMON_TRY(set_field(f, field.key, field.value));
  }
  return f;
}

std::string faults_to_json(const Faults& f) {
  std::string out = "{";
  bool first = true;
  append_kv(out, "latency_ms", std::to_string(f.latency_ms), first);
  append_kv(out, "status_429_every", std::to_string(f.status_429_every), first);
  append_kv(out, "retry_after_secs", std::to_string(f.retry_after_secs), first);
  append_kv(out, "burst_5xx", std::to_string(f.burst_5xx), first);
  append_kv(out, "reset_rate", number(f.reset_rate), first);
  append_kv(out, "malformed_rate", number(f.malformed_rate), first);
  append_kv(out, "truncated_rate", number(f.truncated_rate), first);
  append_kv(out, "slow_drip_ms", std::to_string(f.slow_drip_ms), first);
  append_kv(out, "html_rate", number(f.html_rate), first);
  append_kv(out, "seed", std::to_string(f.seed), first);
  return out + "}";
}

std::string stats_to_json(const Stats& stats, bool with_stations) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, s] : stats.providers)
    append_kv(out, name, provider_json(s, with_stations), first);
  return out + "}";
}

}  // namespace envmon::fake_providers
