// Strict decoders for the v1 message schema. Every error names the field path that is wrong.
#include <simdjson.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstring>

#include "model/codec.h"
#include "model/codec_canonical.h"
#include "model/units.h"

namespace envmon {
namespace {

namespace od = simdjson::ondemand;

// A field path, joined only when an error names it: building "measurements.pm25.value" for
// every number decoded was most of the decoder's allocations.
struct Path {
  std::string_view a, b, c;
  Path(const char* p) : a(p) {}         // NOLINT(google-explicit-constructor): literals
  Path(std::string_view p) : a(p) {}    // NOLINT(google-explicit-constructor)
  Path(const std::string& p) : a(p) {}  // NOLINT(google-explicit-constructor)
  Path(std::string_view x, std::string_view y, std::string_view z = {}) : a(x), b(y), c(z) {}
  std::string str() const {
    std::string out(a);
    out.append(b).append(c);
    return out;
  }
};

Error field_error(const Path& path, std::string_view what) {
  return Error(Errc::decode_field, path.str() + ": " + std::string(what));
}

// simdjson needs SIMDJSON_PADDING readable bytes past the end: the payload is copied into a
// per-thread buffer that only ever grows. The padding must be zeros (on malformed input the
// parser's end-of-document checks read it), so only it is cleared, not the whole buffer.
struct Padded {
  std::string buffer;
  simdjson::padded_string_view view(std::string_view json) {
    if (buffer.size() < json.size() + simdjson::SIMDJSON_PADDING)
      buffer.resize(json.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer.data(), json.data(), json.size());
    std::memset(buffer.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    return simdjson::padded_string_view(buffer.data(), json.size(), buffer.size());
  }
};

struct Decoder {
  od::parser parser;
  Padded padded;
};

Decoder& thread_decoder() {
  thread_local Decoder decoder;
  return decoder;
}

std::string_view type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "unknown";
}

// Why a value is not a number; get_double() does not consume the value when it fails.
Error number_error(od::value& v, const Path& path) {
  od::json_type t;
  if (v.type().get(t)) return field_error(path, "malformed value");
  if (t != od::json_type::number)
    return field_error(path, "expected a number, got " + std::string(type_name(t)));
  return field_error(path, "malformed number");
}

// Parses first and asks for the type only on failure: numbers are the common case.
Result<double> get_number(od::value& v, const Path& path) {
  double d = 0;
  if (v.get_double().get(d)) return number_error(v, path);
  if (!std::isfinite(d)) return field_error(path, "number is not finite");
  return d;
}

using FieldResult = simdjson::simdjson_result<od::field>;

// The first '"' or '\\' at or after p, which lies inside a JSON string of the padded buffer:
// the string's closing quote comes before the end and SIMDJSON_PADDING bytes follow, so reading
// 16 bytes at a time never leaves the buffer.
const char* find_quote_or_backslash(const char* p) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (;; p += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#else
  while (*p != '"' && *p != '\\') ++p;
  return p;
#endif
}

// key == literal with the literal's length known at compile time, so the comparison is inlined
// (string_view's operator== called memcmp for every key).
template <size_t N>
bool is(std::string_view key, const char (&literal)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

// An iterated field's key. It is used in place when it has no escapes (all of envmon's keys),
// sparing simdjson's unescaping copy; a key with a backslash is unescaped. Fields and values
// are passed by reference throughout: copies of simdjson's small iterator structs through the
// stack stalled store forwarding.
inline simdjson::error_code field_key(FieldResult& item, std::string_view& key) {
  if (item.error()) return item.error();
  od::field& field = item.value_unsafe();
  const char* const start = field.key().raw();
  const char* end = find_quote_or_backslash(start);
  if (*end == '\\') return field.unescaped_key().get(key);
  key = std::string_view(start, static_cast<size_t>(end - start));
  return simdjson::SUCCESS;
}

// Like get_number: get_string() consumes the value only once it saw the opening quote.
Result<std::string_view> get_string(od::value& v, const Path& path) {
  std::string_view s;
  const auto error = v.get_string().get(s);
  if (error == simdjson::SUCCESS) return s;
  if (error != simdjson::INCORRECT_TYPE) return field_error(path, "malformed string");
  od::json_type t;
  if (v.type().get(t)) return field_error(path, "malformed value");
  if (t != od::json_type::string)
    return field_error(path, "expected a string, got " + std::string(type_name(t)));
  return field_error(path, "malformed string");
}

Result<int64_t> get_int(od::value& v, const Path& path) {
  auto d = get_number(v, path);
  if (!d.ok()) return d.error();
  if (*d != std::floor(*d)) return field_error(path, "expected an integer");
  return static_cast<int64_t>(*d);
}

Result<Timestamp> get_time(od::value& v, const Path& path) {
  auto s = get_string(v, path);
  if (!s.ok()) return s.error();
  auto t = parse_rfc3339(*s);
  if (!t.ok()) return field_error(path, t.error().message());
  return *t;
}

Status check_version(od::value& v) {
  auto n = get_int(v, "v");
  if (!n.ok()) return n.error();
  if (*n != kSchemaVersion) {
    return Error(Errc::decode_version, "v: unsupported schema version " + std::to_string(*n) +
                                           " (this build reads version " +
                                           std::to_string(kSchemaVersion) + ")");
  }
  return ok_status();
}

Status decode_station(od::value& v, StationRef& st) {
  od::object obj;
  if (v.get_object().get(obj)) return field_error("station", "expected an object");
  bool has_id = false;
  for (auto item : obj) {
    std::string_view key;
    if (field_key(item, key)) return field_error("station", "malformed key");
    od::value& value = item.value_unsafe().value();
    if (is(key, "id")) {
      auto s = get_string(value, "station.id");
      if (!s.ok()) return s.error();
      if (s->empty()) return field_error("station.id", "must not be empty");
      st.id.get().assign(*s);
      has_id = true;
    } else if (is(key, "name")) {
      auto s = get_string(value, "station.name");
      if (!s.ok()) return s.error();
      st.name.assign(*s);
    } else if (is(key, "lat") || is(key, "lon")) {
      auto d = get_number(value, is(key, "lat") ? "station.lat" : "station.lon");
      if (!d.ok()) return d.error();
      (is(key, "lat") ? st.lat : st.lon) = *d;
    } else if (is(key, "provider_id")) {
      auto s = get_string(value, "station.provider_id");
      if (!s.ok()) return s.error();
      st.provider_id.assign(*s);
    } else {
      return field_error("station." + std::string(key),
                         "unknown field (valid: id, name, lat, lon, provider_id)");
    }
  }
  if (!has_id) return field_error("station.id", "missing");
  return ok_status();
}

Status decode_flags(od::value& v, const Path& path, FlagSet& flags) {
  od::array arr;
  if (v.get_array().get(arr)) return field_error(path, "expected an array of flag names");
  for (auto item : arr) {
    std::string_view name;
    if (item.get_string().get(name)) return field_error(path, "expected flag names as strings");
    auto f = parse_flag(name);
    if (!f) return field_error(path, "unknown flag '" + std::string(name) + "'");
    set_flag(flags, *f);
  }
  return ok_status();
}

// `key` is the metric id: paths are measurements.<key>.<field>.
Status decode_measurement_object(od::object& obj, std::string_view key_of_metric, Measurement& m) {
  const Path path("measurements.", key_of_metric);
  bool has_value = false;
  for (auto item : obj) {
    std::string_view key;
    if (field_key(item, key)) return field_error(path, "malformed key");
    od::value& v = item.value_unsafe().value();
    if (is(key, "value")) {
      has_value = true;
      if (v.get_double().get(m.value) == simdjson::SUCCESS) {  // the common case first
        if (std::isfinite(m.value)) continue;
        return field_error(Path("measurements.", key_of_metric, ".value"), "number is not finite");
      }
      bool is_null = false;
      if (v.is_null().get(is_null) == simdjson::SUCCESS && is_null) {
        m.value = std::nan("");
        continue;
      }
      auto d = get_number(v, Path("measurements.", key_of_metric, ".value"));
      if (!d.ok()) return d.error();
      m.value = *d;
    } else if (is(key, "raw")) {
      auto d = get_number(v, Path("measurements.", key_of_metric, ".raw"));
      if (!d.ok()) return d.error();
      m.raw = *d;
    } else if (is(key, "unit")) {
      auto s = get_string(v, Path("measurements.", key_of_metric, ".unit"));
      if (!s.ok()) return s.error();
      m.unit.assign(*s);
    } else if (is(key, "flags")) {
      ENVMON_TRY(decode_flags(v, Path("measurements.", key_of_metric, ".flags"), m.flags));
    } else {
      return field_error(path.str() + "." + std::string(key),
                         "unknown field (valid: value, raw, unit, flags)");
    }
  }
  if (!has_value) return field_error(Path("measurements.", key_of_metric, ".value"), "missing");
  return ok_status();
}

Status decode_measurements(od::value& v, std::vector<Measurement>& out) {
  od::object obj;
  if (v.get_object().get(obj)) return field_error("measurements", "expected an object keyed by metric");
  size_t hint = 0;
  for (auto item : obj) {
    std::string_view key;
    if (field_key(item, key)) return field_error("measurements", "malformed key");
    od::value& mv = item.value_unsafe().value();
    auto metric = codec_internal::find_metric(key, hint);
    const Path path("measurements.", key);
    if (!metric) return field_error(path, "unknown metric (see `envmon config schema` for the catalogue)");
    Measurement& m = out.emplace_back();
    m.metric = *metric;
    od::json_type t;
    if (mv.type().get(t)) return field_error(path, "malformed value");
    if (t == od::json_type::number) {
      auto d = get_number(mv, path);
      if (!d.ok()) return d.error();
      m.value = *d;
    } else if (t == od::json_type::object) {
      od::object mo;
      if (mv.get_object().get(mo)) return field_error(path, "malformed object");
      ENVMON_TRY(decode_measurement_object(mo, key, m));
    } else {
      return field_error(path, "expected a number or an object, got " + std::string(type_name(t)));
    }
  }
  return ok_status();
}

Status decode_reading_field(std::string_view key, od::value& v, Reading& r, Enrichment& e,
                            bool& enriched, int& seen) {
  if (is(key, "v")) { seen |= 1; return check_version(v); }
  if (is(key, "source")) {
    auto s = get_string(v, "source");
    if (!s.ok()) return s.error();
    if (s->empty()) return field_error("source", "must not be empty");
    r.source.get().assign(*s);
    seen |= 2;
    return ok_status();
  }
  if (is(key, "station")) { seen |= 4; return decode_station(v, r.station); }
  if (is(key, "observed_at")) {
    auto t = get_time(v, "observed_at");
    if (!t.ok()) return t.error();
    r.observed_at = *t;
    seen |= 8;
    return ok_status();
  }
  if (is(key, "ingested_at")) {
    auto t = get_time(v, "ingested_at");
    if (!t.ok()) return t.error();
    r.ingested_at = *t;
    return ok_status();
  }
  if (is(key, "measurements")) { seen |= 16; return decode_measurements(v, r.measurements); }
  if (is(key, "region") || is(key, "timezone") || is(key, "local_time")) {
    auto s = get_string(v, key);
    if (!s.ok()) return s.error();
    (is(key, "region") ? e.region : is(key, "timezone") ? e.timezone : e.local_time).assign(*s);
    enriched = true;
    return ok_status();
  }
  if (is(key, "utc_offset_secs")) {
    auto n = get_int(v, key);
    if (!n.ok()) return n.error();
    e.utc_offset_secs = static_cast<int32_t>(*n);
    enriched = true;
    return ok_status();
  }
  return field_error(key, "unknown field (valid: v, source, station, observed_at, ingested_at, "
                          "measurements, region, timezone, utc_offset_secs, local_time)");
}

Result<od::object> open_object(Decoder& d, std::string_view json, od::document& doc) {
  if (json.empty()) return Error(Errc::decode_syntax, "empty payload");
  auto padded = d.padded.view(json);
  if (d.parser.iterate(padded).get(doc)) return Error(Errc::decode_syntax, "not JSON");
  od::object obj;
  if (doc.get_object().get(obj)) return Error(Errc::decode_syntax, "not a JSON object");
  return obj;
}

Status wrap_simdjson(Status s, od::document& doc) {
  if (!s.ok()) return s;
  // current_location() succeeds only while tokens remain after the top-level object.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return Error(Errc::decode_syntax, "trailing content after the JSON object");
  }
  return s;
}

}  // namespace

namespace {

void clear_reading(Reading& r) {
  r.measurements.clear();
  r.enrichment.reset();
  r.ingested_at = Timestamp{};
  // Cleared, not replaced: the strings keep their capacity for the next message.
  r.station.id.get().clear();
  r.station.name.clear();
  r.station.lat = r.station.lon = 0;
  r.station.provider_id.clear();
}

}  // namespace

Status decode_reading_into(std::string_view json, Reading& r) {
  clear_reading(r);
  // Most messages are in the encoder's own layout: one pass without simdjson. Anything else
  // (and every error) goes through the full decoder.
  if (codec_internal::decode_canonical_reading(json, r)) return ok_status();
  clear_reading(r);
  Decoder& d = thread_decoder();
  od::document doc;
  auto obj = open_object(d, json, doc);
  if (!obj.ok()) return obj.error();
  Enrichment e;
  bool enriched = false;
  int seen = 0;
  Status status = ok_status();
  for (auto item : *obj) {
    std::string_view key;
    if (field_key(item, key)) return Error(Errc::decode_syntax, "malformed JSON");
    od::value& value = item.value_unsafe().value();
    status = decode_reading_field(key, value, r, e, enriched, seen);
    if (!status.ok()) return status;
  }
  static constexpr std::pair<int, std::string_view> kRequired[] = {
      {1, "v"}, {2, "source"}, {4, "station"}, {8, "observed_at"}, {16, "measurements"}};
  for (const auto& [bit, name] : kRequired) {
    if ((seen & bit) == 0) return field_error(name, "missing");
  }
  if (enriched) r.enrichment = std::move(e);
  return wrap_simdjson(status, doc);
}

Result<Reading> decode_reading(std::string_view json) {
  Reading r;
  Status s = decode_reading_into(json, r);
  if (!s.ok()) return s.error();
  return r;
}

namespace {

Status decode_aggregate_field(std::string_view key, od::value& v, Aggregate& a, int& seen) {
  if (is(key, "v")) { seen |= 1; return check_version(v); }
  if (is(key, "source") || is(key, "station") || is(key, "metric") || is(key, "dominant")) {
    auto s = get_string(v, key);
    if (!s.ok()) return s.error();
    if (is(key, "source")) a.source.get().assign(*s);
    if (is(key, "station")) { a.station.get().assign(*s); seen |= 2; }
    if (is(key, "dominant")) a.dominant.assign(*s);
    if (is(key, "metric")) {
      auto m = parse_metric(*s);
      if (!m) return field_error("metric", "unknown metric '" + std::string(*s) + "'");
      a.metric = *m;
      seen |= 4;
    }
    return ok_status();
  }
  if (is(key, "bucket_start")) {
    auto t = get_time(v, key);
    if (!t.ok()) return t.error();
    a.bucket_start = *t;
    seen |= 8;
    return ok_status();
  }
  if (is(key, "mean") || is(key, "min") || is(key, "max")) {
    auto n = get_number(v, key);
    if (!n.ok()) return n.error();
    (is(key, "mean") ? a.mean : is(key, "min") ? a.min : a.max) = *n;
    return ok_status();
  }
  if (is(key, "bucket_secs") || is(key, "count") || is(key, "revision")) {
    auto n = get_int(v, key);
    if (!n.ok()) return n.error();
    if (is(key, "bucket_secs")) a.bucket = Seconds(*n);
    if (is(key, "count")) a.count = *n;
    if (is(key, "revision")) a.revision = static_cast<int32_t>(*n);
    return ok_status();
  }
  return field_error(key, "unknown field");
}

}  // namespace

Result<Aggregate> decode_aggregate(std::string_view json) {
  Decoder& d = thread_decoder();
  od::document doc;
  auto obj = open_object(d, json, doc);
  if (!obj.ok()) return obj.error();
  Aggregate a;
  int seen = 0;
  for (auto item : *obj) {
    std::string_view key;
    if (field_key(item, key)) return Error(Errc::decode_syntax, "malformed JSON");
    od::value& value = item.value_unsafe().value();
    ENVMON_TRY(decode_aggregate_field(key, value, a, seen));
  }
  if ((seen & 15) != 15) return field_error("aggregate", "missing one of v, station, metric, bucket_start");
  ENVMON_TRY(wrap_simdjson(ok_status(), doc));
  return a;
}

Result<DeadLetter> decode_dead_letter(std::string_view json) {
  Decoder& d = thread_decoder();
  od::document doc;
  auto obj = open_object(d, json, doc);
  if (!obj.ok()) return obj.error();
  DeadLetter dl;
  for (auto item : *obj) {
    std::string_view key;
    if (field_key(item, key)) return Error(Errc::decode_syntax, "malformed JSON");
    od::value& v = item.value_unsafe().value();
    if (is(key, "v")) {
      ENVMON_TRY(check_version(v));
      continue;
    }
    if (is(key, "at")) {
      auto t = get_time(v, key);
      if (!t.ok()) return t.error();
      dl.at = *t;
      continue;
    }
    auto s = get_string(v, key);
    if (!s.ok()) return s.error();
    if (is(key, "stage")) dl.stage.assign(*s);
    else if (is(key, "error_code")) dl.error_code.assign(*s);
    else if (is(key, "reason")) dl.reason.assign(*s);
    else if (is(key, "topic")) dl.topic.assign(*s);
    else if (is(key, "key")) dl.key.assign(*s);
    else if (is(key, "payload")) dl.payload.assign(*s);
    else return field_error(key, "unknown field");
  }
  ENVMON_TRY(wrap_simdjson(ok_status(), doc));
  return dl;
}

}  // namespace envmon
