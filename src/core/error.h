#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace envmon {

// Module error codes: each module owns a range so a code alone says where a failure came from.
// Kept in one small enum per module area rather than one catch-all.
enum class Errc : int {
  ok = 0,
  // config 100..
  config_parse = 100,
  config_unknown_key,
  config_bad_value,
  config_missing_key,
  config_env_missing,
  // model / codec 200..
  decode_syntax = 200,
  decode_field,
  decode_version,
  decode_unit,
  validate_bounds,
  validate_station,
  validate_time,
  // bus 300..
  bus_closed = 300,
  bus_full,
  bus_unknown_topic,
  // store / lake 400..
  store_io = 400,
  store_constraint,
  store_schema,
  lake_io,
  lake_exists,
  // api 500..
  api_bad_request = 500,
  api_not_found,
  // sources 600..
  source_io = 600,
  source_payload,
  source_auth,          // key missing, wrong or without the needed subscription
  source_rate_limited,  // the provider said 429 / over quota
  source_not_found,     // unknown station or city at the provider
  source_stale,         // the provider's observation is older than the source accepts
  // net (HTTP client) 700..
  net_connect = 700,
  net_timeout,
  net_reset,
  net_http,             // an HTTP status the caller did not expect
  // generic
  internal = 900,
  io,
  not_found,
  invalid_argument,
};

std::string_view errc_name(Errc code);

enum class Retryable : bool { no = false, yes = true };

// An error as a value: a module code, a message with context, and whether retrying can help.
class Error {
 public:
  Error(Errc code, std::string message, Retryable retry = Retryable::no)
      : code_(code), message_(std::move(message)), retry_(retry) {}

  Errc code() const { return code_; }
  const std::string& message() const { return message_; }
  bool retryable() const { return retry_ == Retryable::yes; }

  // Prepends context ("while writing batch 12: ...") and keeps code and retry class.
  Error with_context(std::string_view context) const {
    return Error(code_, std::string(context) + ": " + message_, retry_);
  }
  std::string to_string() const;

 private:
  Errc code_;
  std::string message_;
  Retryable retry_;
};

}  // namespace envmon
