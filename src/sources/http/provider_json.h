#pragma once
// What every provider parser shares: tolerant readers over simdjson's DOM (providers send numbers
// as ints, doubles or numeric strings, and leave out whatever they have no value for) and the
// builders of a ParseResult, so a bad field becomes the same kind of reject everywhere.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "core/error.h"
#include "model/reading.h"
#include "net/http_types.h"
#include "sources/http/provider.h"

namespace envmon::sources::http::json {

using Element = simdjson::dom::element;

// A child of an object; nullopt when `parent` is no object or has no such key.
inline std::optional<Element> child(Element parent, std::string_view key) {
  simdjson::dom::object obj;
  Element out;
  if (parent.get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
  if (obj.at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

inline std::optional<std::string_view> string(Element e) {
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

inline std::optional<simdjson::dom::object> object(Element e) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

inline std::optional<simdjson::dom::array> array(Element e) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
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

// A field's numeric value, told apart from "the key is not there", "there, but the provider has
// no value" (null, "-", "": counted as missing) and "there, but of the wrong type" (true, {},
// [], "wet": a reject naming the field, never a silent drop).
struct Number {
  enum class State { absent, no_data, value, invalid };
  State state = State::absent;
  double value = 0;
};

inline Number number(Element e) {
  if (e.is_null()) return {Number::State::no_data, 0};
  if (e.is_number()) {
    double v = 0;
    if (e.get_double().get(v) == simdjson::SUCCESS && std::isfinite(v)) {
      return {Number::State::value, v};
    }
    return {Number::State::invalid, 0};
  }
  if (const auto s = string(e)) {
    if (const auto v = parse_double(*s)) return {Number::State::value, *v};
    const bool blank = s->find_first_not_of(' ') == std::string_view::npos;
    if (blank || *s == "-") return {Number::State::no_data, 0};
  }
  return {Number::State::invalid, 0};
}

inline Number number_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  return e ? number(*e) : Number{};
}

inline std::optional<std::string> string_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  const auto s = e ? string(*e) : std::nullopt;
  if (!s) return std::nullopt;
  return std::string(*s);
}

inline std::optional<simdjson::dom::object> object_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  return e ? object(*e) : std::nullopt;
}

inline std::optional<simdjson::dom::array> array_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  return e ? array(*e) : std::nullopt;
}

inline std::optional<bool> bool_at(Element parent, std::string_view key) {
  const auto e = child(parent, key);
  bool b = false;
  if (!e || e->get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

// Unix seconds (UTC) as a Timestamp; nullopt unless a number within +-1e11 s (years 0..5000),
// so a huge value never overflows the millisecond clock.
inline std::optional<Timestamp> unix_seconds(Number n) {
  if (n.state != Number::State::value || std::abs(n.value) > 1e11) return std::nullopt;
  return Timestamp(Seconds(static_cast<int64_t>(n.value)));
}

}  // namespace envmon::sources::http::json

namespace envmon::sources::http {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A reject that will be dead-lettered with the body; `reason` names the field.
inline void add_reject(ParseResult& out, std::string reason, Errc code = Errc::source_payload) {
  out.rejects.push_back({std::string(errc_name(code)), std::move(reason)});
}

inline ParseResult outcome_result(Outcome outcome, std::string message) {
  ParseResult out;
  out.outcome = outcome;
  out.message = std::move(message);
  return out;
}

// The whole answer is unusable: bad_payload with one reject (and the reason as the message).
inline ParseResult bad_payload_result(std::string reason) {
  ParseResult out = outcome_result(Outcome::bad_payload, reason);
  add_reject(out, std::move(reason));
  return out;
}

// A request that got no HTTP answer at all (connect, timeout, reset) is transient.
inline std::optional<ParseResult> transport_failure(const net::HttpResponse& response) {
  if (response.transport == net::TransportError::none && response.status != 0) return std::nullopt;
  return outcome_result(Outcome::transient, "transport error: " + response.transport_message);
}

// What every reading of one answer shares.
struct ReadingSeed {
  SourceId source;     // empty: the engine stamps the source's id
  StationRef station;  // the configured station; parsers fill provider_id from the body
  Timestamp now;       // ingested_at
};

inline ReadingSeed make_seed(std::string_view source_id, const config::StationConfig& station,
                             Timestamp now) {
  return {SourceId(std::string(source_id)),
          StationRef{StationId(station.id), station.name, station.lat, station.lon, ""}, now};
}

inline Reading new_reading(const ReadingSeed& seed, Timestamp observed_at) {
  Reading r;
  r.source = seed.source;
  r.station = seed.station;
  r.observed_at = observed_at;
  r.ingested_at = seed.now;
  return r;
}

// One field's value into `r`: absent adds nothing, no data is counted as missing, a wrong type is
// a reject naming `where` (the rest of the reading is kept).
inline void add_measurement(Reading& r, ParseResult& out, Metric metric, json::Number n,
                            std::string_view unit, std::string_view where) {
  switch (n.state) {
    case json::Number::State::absent:
      return;
    case json::Number::State::no_data:
      ++out.missing_values;
      return;
    case json::Number::State::invalid:
      add_reject(out, std::string(where) + ": expected a number (or null / \"-\" for no data)");
      return;
    case json::Number::State::value:
      break;
  }
  Measurement m;
  m.metric = metric;
  m.value = n.value;
  m.unit = std::string(unit);
  r.measurements.push_back(std::move(m));
}

}  // namespace envmon::sources::http
