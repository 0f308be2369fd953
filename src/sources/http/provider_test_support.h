#pragma once
// Helpers shared by the provider tests (OpenWeatherMap, WAQI, Open-Meteo): fixtures on disk,
// canned responses and lookups in parsed readings. Test-only: include it from *_test.cc files.

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "config/app_config.h"
#include "core/time.h"
#include "model/reading.h"
#include "net/http_types.h"
#include "sources/http/provider.h"

namespace envmon::sources::http::testing {

// The recorded API responses beside the repository (may be absent: tests then skip).
inline const std::string kSharedSamples = ENVMON_SOURCE_DIR "/../shared/data/api-samples/";

// A file's bytes, or nullopt when it cannot be read.
inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fixture that must exist: a failed expectation (and "") when it does not.
inline std::string read_fixture(const std::string& path) {
  auto body = read_file(path);
  EXPECT_TRUE(body.has_value()) << "cannot read " << path;
  return body.value_or("");
}

inline config::StationConfig make_station(std::string id, std::string name, double lat,
                                          double lon) {
  config::StationConfig s;
  s.id = std::move(id);
  s.name = std::move(name);
  s.lat = lat;
  s.lon = lon;
  return s;
}

inline net::HttpResponse make_response(int status, std::string body,
                                       std::string content_type = "application/json") {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

inline Timestamp unix_at(int64_t unix_secs) {
  return Timestamp(Seconds(unix_secs));
}

inline Timestamp rfc3339_at(std::string_view text) {
  return parse_rfc3339(text).value();
}

// A copy, not a pointer: GCC's -Wnull-dereference at -O3 sees through pointer returns.
inline std::optional<Measurement> find(const Reading& r, Metric m) {
  for (const auto& x : r.measurements) {
    if (x.metric == m) return x;
  }
  return std::nullopt;
}

// The value of `m`, or a failed expectation and a placeholder.
inline double value(const Reading& r, Metric m) {
  const auto x = find(r, m);
  EXPECT_TRUE(x.has_value()) << "no " << metric_id(m) << " in the reading";
  return x ? x->value : -1e9;
}

inline std::string unit_of(const Reading& r, Metric m) {
  const auto x = find(r, m);
  return x ? x->unit : "<absent>";
}

// Every reject as "code: reason" lines, for assertions and failure messages.
inline std::string rejects_text(const ParseResult& r) {
  std::string out;
  for (const auto& j : r.rejects)
    out += j.error_code + ": " + j.reason + "\n";
  return out;
}

// True when some reject's reason contains `needle` (a field name, say).
inline bool has_reject(const ParseResult& r, std::string_view needle) {
  for (const auto& j : r.rejects) {
    if (j.reason.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace envmon::sources::http::testing

// A shared recording into `var`, or skip the test when ../shared is not checked out.
#define ENVMON_LOAD_SAMPLE(var, dir, name)                                                       \
  const auto var##_opt = ::envmon::sources::http::testing::read_file((dir) + std::string(name)); \
  if (!var##_opt) GTEST_SKIP() << "shared sample absent: " << (dir) << (name);                   \
  const std::string& var = *var##_opt
