#pragma once
// Small readers over simdjson's DOM that turn "absent or of the wrong type" into nullopt, so the
// parser never throws on a surprising body. Internal to the Open-Meteo provider.

#include <cstdint>
#include <optional>
#include <string_view>

#include <simdjson.h>

namespace envmon::sources::openmeteo::json {

inline std::optional<simdjson::dom::element> field(simdjson::dom::object obj,
                                                   std::string_view key) {
  simdjson::dom::element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

inline std::optional<double> as_number(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::DOUBLE:
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: {
      double d = 0;
      if (e.get_double().get(d) != simdjson::SUCCESS) return std::nullopt;
      return d;
    }
    default:
      return std::nullopt;
  }
}

inline std::optional<int64_t> as_int(simdjson::dom::element e) {
  int64_t i = 0;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return i;
  double d = 0;
  if (e.type() == simdjson::dom::element_type::DOUBLE &&
      e.get_double().get(d) == simdjson::SUCCESS && d > -9.2e18 && d < 9.2e18) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

inline std::optional<std::string_view> as_string(simdjson::dom::element e) {
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

inline std::optional<std::string_view> string_field(simdjson::dom::object obj,
                                                    std::string_view key) {
  const auto e = field(obj, key);
  return e ? as_string(*e) : std::nullopt;
}

inline std::optional<double> number_field(simdjson::dom::object obj, std::string_view key) {
  const auto e = field(obj, key);
  return e ? as_number(*e) : std::nullopt;
}

inline std::optional<bool> bool_field(simdjson::dom::object obj, std::string_view key) {
  const auto e = field(obj, key);
  bool b = false;
  if (!e || e->get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

inline std::optional<simdjson::dom::object> object_field(simdjson::dom::object obj,
                                                         std::string_view key) {
  const auto e = field(obj, key);
  simdjson::dom::object o;
  if (!e || e->get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

inline std::optional<simdjson::dom::array> array_field(simdjson::dom::object obj,
                                                       std::string_view key) {
  const auto e = field(obj, key);
  simdjson::dom::array a;
  if (!e || e->get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
}

// The unit string of `variable` in a `*_units` block, when both exist.
inline std::optional<std::string_view> unit_of(std::optional<simdjson::dom::object> units,
                                               std::string_view variable) {
  return units ? string_field(*units, variable) : std::nullopt;
}

}  // namespace envmon::sources::openmeteo::json
