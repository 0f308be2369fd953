#pragma once
// Small tolerant readers over simdjson's DOM: providers send numbers as ints, doubles or numeric
// strings, and leave out whatever they have no value for.

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace envmon::sources::http::json {

using Element = simdjson::dom::element;

// A child of an object; nullopt when `parent` is no object or has no such key.
inline std::optional<Element> child(Element parent, std::string_view key) {
  if (!parent.is_object()) return std::nullopt;
  Element out;
  if (parent.get_object().at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

inline std::optional<double> parse_double(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

// A field's numeric value, told apart from "the key is not there" and "there, but no number"
// (null, "-", "", text): the latter is counted as a missing value.
struct Number {
  enum class State { absent, no_data, value };
  State state = State::absent;
  double value = 0;
};

inline Number number(Element e) {
  if (e.is_number()) {
    double v = 0;
    if (e.get_double().get(v) == simdjson::SUCCESS && std::isfinite(v)) {
      return {Number::State::value, v};
    }
    return {Number::State::no_data, 0};
  }
  if (e.is_string()) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      if (auto v = parse_double(s)) return {Number::State::value, *v};
    }
  }
  return {Number::State::no_data, 0};
}

inline Number number_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  return e ? number(*e) : Number{};
}

inline std::optional<std::string> string_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  std::string_view s;
  if (!e || e->get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}

}  // namespace envmon::sources::http::json
