#pragma once

#include <string>
#include <utility>
#include <variant>

namespace envmon::api {

// An error answered to an HTTP client. Not envmon::Error: a client error needs its HTTP status
// and the query parameter at fault, which the module-wide Error deliberately does not carry.
struct ApiError {
  int status = 400;
  std::string code;       // bad_request, not_found, method_not_allowed, internal, ...
  std::string message;    // for people; never contains internals (paths, SQL, exceptions)
  std::string parameter;  // query parameter at fault; empty when none

  static ApiError bad_request(std::string message, std::string parameter = {}) {
    return {400, "bad_request", std::move(message), std::move(parameter)};
  }
  static ApiError not_found(std::string message, std::string parameter = {}) {
    return {404, "not_found", std::move(message), std::move(parameter)};
  }
  static ApiError internal() {
    return {500, "internal", "internal error; the server log has details", {}};
  }
};

// A value or the ApiError that replaces it.
template <typename T>
using ApiResult = std::variant<T, ApiError>;

// {"error":{"status":400,"code":"bad_request","message":"...","parameter":"from" | null}}
std::string render_error(const ApiError& error);
// The code for an HTTP status httplib produced on its own (414, 431, 400 ...).
std::string error_code_for_status(int status);

}  // namespace envmon::api
