// Encoders for the v1 message schema; decoders live in codec_decode.cc.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include "core/error.h"
#include "model/codec.h"

namespace envmon {

namespace {

void append_escaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"': out.append("\\\""); break;
    case '\\': out.append("\\\\"); break;
    case '\n': out.append("\\n"); break;
    case '\r': out.append("\\r"); break;
    case '\t': out.append("\\t"); break;
    default:
      out.append("\\u00");
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
  }
}

size_t decimal_digits(uint64_t x) {
  size_t n = 1;
  while (x >= 10) {
    x /= 10;
    ++n;
  }
  return n;
}

// What std::to_chars prints as the shortest round trip, for the common case of a value with at
// most 6 decimals (sensor readings, coordinates, means of them), without its general algorithm:
// the smallest k for which round(|v| * 10^k) / 10^k == |v| gives the shortest digits (10^-k is
// far above the spacing of doubles below 1e9, so no other k-decimal string round-trips), and
// to_chars prints them fixed unless scientific notation is strictly shorter. False: not such a
// value (the caller uses to_chars). codec_test checks it against to_chars.
bool append_short_fixed(std::string& out, double v) {
  static constexpr double kPow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  const double a = std::fabs(v);
  if (!(a >= 1e-3 && a < 1e9)) return false;
  for (size_t k = 0; k < std::size(kPow10); ++k) {
    const double x = std::nearbyint(a * kPow10[k]);
    if (x / kPow10[k] != a) continue;
    const auto digits = static_cast<uint64_t>(x);
    const size_t len = decimal_digits(digits);
    size_t significant = len;  // scientific notation drops trailing zeros (k = 0 only)
    for (uint64_t d = digits; k == 0 && d % 10 == 0; d /= 10)
      --significant;
    const long exponent = static_cast<long>(len) - 1 - static_cast<long>(k);
    const size_t exp_digits = std::labs(exponent) >= 100 ? 3 : 2;
    const size_t scientific = significant + (significant > 1 ? 1 : 0) + 2 + exp_digits;
    const size_t fixed = k == 0 ? len : (len > k ? len + 1 : k + 2);
    if (fixed > scientific) return false;
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof(buf), digits).ptr;
    if (v < 0) out.push_back('-');
    if (k == 0) {
      out.append(buf, end);
    } else if (len > k) {
      out.append(buf, len - k).push_back('.');
      out.append(buf + (len - k), k);
    } else {
      out.append("0.").append(k - len, '0').append(buf, len);
    }
    return true;
  }
  return false;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;  // start of the stretch copied as is
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    append_escaped(out, c);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  if (v == 0) {
    out.append(std::signbit(v) ? "-0" : "0");
    return;
  }
  if (append_short_fixed(out, v)) return;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) {
    out.append("null");
    return;
  }
  out.append(buf, end);
}

namespace {

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

void append_flags(std::string& out, FlagSet flags) {
  out.append(",\"flags\":[");
  bool first = true;
  // Walks the bits directly: all_flags() would allocate on the hot path.
  for (FlagSet bit = 1; bit != 0 && bit <= flags; bit = static_cast<FlagSet>(bit << 1)) {
    const auto f = static_cast<Flag>(bit);
    if (!has_flag(flags, f)) continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out.append(flag_name(f));
    out.push_back('"');
  }
  out.push_back(']');
}

void append_measurement(std::string& out, const Measurement& m) {
  out.push_back('"');
  out.append(metric_id(m.metric));
  out.append("\":{\"value\":");
  append_json_number(out, m.value);
  if (!std::isnan(m.raw)) {
    out.append(",\"raw\":");
    append_json_number(out, m.raw);
  }
  if (!m.unit.empty()) {
    out.append(",\"unit\":");
    append_json_string(out, m.unit);
  }
  if (m.flags != 0) append_flags(out, m.flags);
  out.push_back('}');
}

void append_enrichment(std::string& out, const Enrichment& e) {
  out.append(",\"region\":");
  append_json_string(out, e.region);
  out.append(",\"timezone\":");
  append_json_string(out, e.timezone);
  out.append(",\"utc_offset_secs\":");
  append_int(out, e.utc_offset_secs);
  out.append(",\"local_time\":");
  append_json_string(out, e.local_time);
}

}  // namespace

void encode_reading_head(const Reading& r, std::string& out) {
  out.append("{\"v\":1,\"source\":");
  append_json_string(out, r.source.get());
  out.append(",\"station\":{\"id\":");
  append_json_string(out, r.station.id.get());
  out.append(",\"name\":");
  append_json_string(out, r.station.name);
  out.append(",\"lat\":");
  append_json_number(out, r.station.lat);
  out.append(",\"lon\":");
  append_json_number(out, r.station.lon);
  if (!r.station.provider_id.empty()) {
    out.append(",\"provider_id\":");
    append_json_string(out, r.station.provider_id);
  }
  out.append("},\"observed_at\":\"");
}

void encode_reading_tail(const Reading& r, std::string& out) {
  append_rfc3339(out, r.observed_at);
  out.append("\",\"ingested_at\":\"");
  append_rfc3339(out, r.ingested_at);
  out.append("\",\"measurements\":{");
  for (size_t i = 0; i < r.measurements.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_measurement(out, r.measurements[i]);
  }
  out.push_back('}');
  if (r.enrichment) append_enrichment(out, *r.enrichment);
  out.push_back('}');
}

void encode_reading(const Reading& r, std::string& out) {
  encode_reading_head(r, out);
  encode_reading_tail(r, out);
}

std::string encode_reading(const Reading& r) {
  std::string out;
  out.reserve(256 + r.measurements.size() * 40);
  encode_reading(r, out);
  return out;
}

void encode_aggregate_head(std::string_view source, std::string_view station, std::string& out) {
  out.append("{\"v\":1,\"source\":");
  append_json_string(out, source);
  out.append(",\"station\":");
  append_json_string(out, station);
  out.append(",\"metric\":\"");
}

void encode_aggregate_tail(const Aggregate& a, std::string& out) {
  out.append(metric_id(a.metric));
  out.append("\",\"bucket_start\":\"");
  append_rfc3339(out, a.bucket_start);
  out.append("\",\"bucket_secs\":");
  append_int(out, a.bucket.count());
  out.append(",\"mean\":");
  append_json_number(out, a.mean);
  out.append(",\"min\":");
  append_json_number(out, a.min);
  out.append(",\"max\":");
  append_json_number(out, a.max);
  out.append(",\"count\":");
  append_int(out, a.count);
  out.append(",\"revision\":");
  append_int(out, a.revision);
  if (!a.dominant.empty()) {
    out.append(",\"dominant\":");
    append_json_string(out, a.dominant);
  }
  out.push_back('}');
}

void encode_aggregate(const Aggregate& a, std::string& out) {
  encode_aggregate_head(a.source.get(), a.station.get(), out);
  encode_aggregate_tail(a, out);
}

std::string encode_aggregate(const Aggregate& a) {
  std::string out;
  out.reserve(256);
  encode_aggregate(a, out);
  return out;
}

std::string encode_dead_letter(const DeadLetter& d) {
  std::string out;
  out.reserve(192 + d.payload.size() + d.reason.size());
  out.append("{\"v\":1,\"stage\":");
  append_json_string(out, d.stage);
  out.append(",\"error_code\":");
  append_json_string(out, d.error_code);
  out.append(",\"reason\":");
  append_json_string(out, d.reason);
  out.append(",\"topic\":");
  append_json_string(out, d.topic);
  out.append(",\"key\":");
  append_json_string(out, d.key);
  out.append(",\"payload\":");
  append_json_string(out, d.payload);
  out.append(",\"at\":\"");
  append_rfc3339(out, d.at);
  out.append("\"}");
  return out;
}

}  // namespace envmon
