#include "tools/fake_providers/control_json.h"

#include <charconv>
#include <map>
#include <type_traits>
#include <variant>

#include <simdjson.h>

#include "tools/fake_providers/fault_fields.h"

namespace envmon::fake_providers {
namespace {

void append_key(std::string& out, std::string_view key, bool& first) {
  if (!first) out += ',';
  first = false;
  append_json_string(out, key);
  out += ':';
}

template <typename T>
void append_number(std::string& out, T v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

template <typename T>
void append_field(std::string& out, std::string_view key, T v, bool& first) {
  append_key(out, key, first);
  append_number(out, v);
}

template <typename K>
void append_counts(std::string& out, std::string_view key, const std::map<K, int64_t>& counts,
                   bool& first) {
  append_key(out, key, first);
  out += '{';
  bool inner = true;
  for (const auto& [k, n] : counts) {
    if constexpr (std::is_same_v<K, int>) {
      append_field(out, std::to_string(k), n, inner);  // JSON keys are strings: {"200": 3}
    } else {
      append_field(out, k, n, inner);
    }
  }
  out += '}';
}

void append_stations(std::string& out, const ProviderStats& s, bool& first) {
  append_key(out, "station_observations", first);
  out += '{';
  bool inner = true;
  for (const auto& [key, times] : s.station_observations) {
    append_key(out, key, inner);
    out += '[';
    for (size_t i = 0; i < times.size(); ++i) {
      if (i > 0) out += ',';
      append_number(out, times[i]);
    }
    out += ']';
  }
  out += '}';
}

void append_provider(std::string& out, const ProviderStats& s, bool with_stations) {
  out += '{';
  bool first = true;
  append_field(out, "total", s.total, first);
  append_counts(out, "by_status", s.by_status, first);
  append_counts(out, "faults", s.faults, first);
  append_field(out, "max_per_minute", s.max_per_minute, first);
  append_field(out, "max_per_hour", s.max_per_hour, first);
  append_field(out, "max_per_day", s.max_per_day, first);
  append_field(out, "stations", s.station_observations.size(), first);
  if (with_stations) append_stations(out, s, first);
  out += '}';
}

// A JSON number as text for set_fault_field; anything else is reported as a wrong type.
Result<std::string> number_text(std::string_view key, simdjson::dom::element v) {
  std::string out;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    append_number(out, i);
  } else if (v.get_uint64().get(u) == simdjson::SUCCESS) {
    append_number(out, u);
  } else if (v.get_double().get(d) == simdjson::SUCCESS) {
    append_number(out, d);
  } else {
    return Error(Errc::invalid_argument,
                 std::string(key) + ": expected a number, got " + simdjson::to_string(v));
  }
  return out;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

std::string json_error(std::string_view message) {
  std::string out = "{\"error\":";
  append_json_string(out, message);
  return out + "}";
}

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
    const FaultField* spec = find_fault_field(field.key);
    if (spec == nullptr) {
      return Error(Errc::invalid_argument, "unknown fault field '" + std::string(field.key) +
                                               "'; valid fields: " + fault_field_keys());
    }
    const auto text = number_text(field.key, field.value);
    if (!text) return text.error();
    ENVMON_TRY(set_fault_field(f, *spec, *text, field.key));
  }
  return f;
}

std::string faults_to_json(const Faults& f) {
  std::string out = "{";
  bool first = true;
  for (const FaultField& field : fault_fields()) {
    std::visit([&](auto member) { append_field(out, field.key, f.*member, first); }, field.member);
  }
  return out + "}";
}

std::string stats_to_json(const Stats& stats, bool with_stations) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, s] : stats.providers) {
    append_key(out, name, first);
    append_provider(out, s, with_stations);
  }
  return out + "}";
}

}  // namespace envmon::fake_providers
