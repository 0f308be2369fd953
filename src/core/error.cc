#include "core/error.h"

namespace envmon {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::config_parse: return "config_parse";
    case Errc::config_unknown_key: return "config_unknown_key";
    case Errc::config_bad_value: return "config_bad_value";
    case Errc::config_missing_key: return "config_missing_key";
    case Errc::config_env_missing: return "config_env_missing";
    case Errc::decode_syntax: return "decode_syntax";
    case Errc::decode_field: return "decode_field";
    case Errc::decode_version: return "decode_version";
    case Errc::decode_unit: return "decode_unit";
    case Errc::validate_bounds: return "validate_bounds";
    case Errc::validate_station: return "validate_station";
    case Errc::validate_time: return "validate_time";
    case Errc::bus_closed: return "bus_closed";
    case Errc::bus_full: return "bus_full";
    case Errc::bus_unknown_topic: return "bus_unknown_topic";
    case Errc::store_io: return "store_io";
    case Errc::store_constraint: return "store_constraint";
    case Errc::store_schema: return "store_schema";
    case Errc::lake_io: return "lake_io";
    case Errc::lake_exists: return "lake_exists";
    case Errc::api_bad_request: return "api_bad_request";
    case Errc::api_not_found: return "api_not_found";
    case Errc::source_io: return "source_io";
    case Errc::source_payload: return "source_payload";
    case Errc::source_auth: return "source_auth";
    case Errc::source_rate_limited: return "source_rate_limited";
    case Errc::source_not_found: return "source_not_found";
    case Errc::source_stale: return "source_stale";
    case Errc::net_connect: return "net_connect";
    case Errc::net_timeout: return "net_timeout";
    case Errc::net_reset: return "net_reset";
    case Errc::net_http: return "net_http";
    case Errc::internal: return "internal";
    case Errc::io: return "io";
    case Errc::not_found: return "not_found";
    case Errc::invalid_argument: return "invalid_argument";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string out(errc_name(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace envmon
