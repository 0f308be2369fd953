// Encoders for the v1 message schema; decoders live in codec_decode.cc.
//
// The hot path (a reading or an aggregate per message) writes through a raw char pointer into
// a per-thread scratch buffer sized by an upper bound of the output, then appends it to the
// caller's string once: the many small append/push_back calls it replaced each checked capacity.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/error.h"
#include "model/codec.h"

namespace envmon {

namespace {

// Upper bounds of what the writers below print.
constexpr size_t kNumberMax = 32;  // to_chars' shortest double is at most 24 chars
constexpr size_t kIntMax = 24;
constexpr size_t kPrefixMax = 48;  // the precomputed per-metric and per-flag strings
size_t string_max(std::string_view s) { return 2 + 6 * s.size(); }

char* scratch(size_t bound) {
  thread_local std::unique_ptr<char[]> buf;
  thread_local size_t size = 0;
  if (size < bound) {
    size = std::max<size_t>(bound, 2 * size);
    buf = std::make_unique<char[]>(size);
  }
  return buf.get();
}

template <size_t N>
char* put(char* p, const char (&literal)[N]) {
  std::memcpy(p, literal, N - 1);  // N - 1: without the terminating NUL
  return p + N - 1;
}

// A string of at most kPrefixMax chars stored in a fixed block: copying the whole block is
// a few vector moves where a memcpy of the exact length is a call.
struct Prefix {
  std::array<char, kPrefixMax> text{};
  size_t size = 0;
  explicit Prefix(std::string_view s) : size(s.size()) {
    // A broken invariant (a metric id or flag name grew past the block), not an input error.
    if (s.size() > kPrefixMax) throw std::logic_error("codec: prefix too long: " + std::string(s));
    std::memcpy(text.data(), s.data(), s.size());
  }
  char* put(char* p) const {
    std::memcpy(p, text.data(), kPrefixMax);
    return p + size;
  }
};

// "\"temperature\":{\"value\":" per metric (readings) and "temperature\",\"bucket_start\":\""
// (aggregates, after the head's opening quote).
std::vector<Prefix> metric_prefixes(std::string_view before, std::string_view after) {
  std::vector<Prefix> out;
  for (const auto& info : metric_catalogue())
    out.emplace_back(std::string(before) + std::string(info.id) + std::string(after));
  return out;
}
// Function-local statics: safe to use from other translation units' static initialisers.
const Prefix& measurement_prefix(Metric m) {
  static const std::vector<Prefix> prefixes = metric_prefixes("\"", "\":{\"value\":");
  return prefixes[static_cast<size_t>(m)];
}
const Prefix& aggregate_prefix(Metric m) {
  static const std::vector<Prefix> prefixes = metric_prefixes("", "\",\"bucket_start\":\"");
  return prefixes[static_cast<size_t>(m)];
}

// "\"spike\"" per flag bit (bits without a name print as flag_name does: "none").
std::vector<Prefix> quoted_flag_names() {
  std::vector<Prefix> out;
  for (unsigned bit = 0; bit < 16; ++bit)
    out.emplace_back("\"" + std::string(flag_name(static_cast<Flag>(1u << bit))) + "\"");
  return out;
}
const Prefix& quoted_flag(unsigned bit) {
  static const std::vector<Prefix> names = quoted_flag_names();
  return names[bit];
}

constexpr char kTwoDigits[] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

constexpr uint64_t kPow10[] = {1,           10,           100,           1'000,
                               10'000,      100'000,      1'000'000,     10'000'000,
                               100'000'000, 1'000'000'000, 10'000'000'000, 100'000'000'000,
                               1'000'000'000'000, 10'000'000'000'000, 100'000'000'000'000,
                               1'000'000'000'000'000};

// Decimal digits of 1 <= x < 1e16.
size_t decimal_length(uint64_t x) {
  size_t n = 1;
  while (n < std::size(kPow10) && x >= kPow10[n]) ++n;
  return n;
}

// Writes the last `count` decimal digits of x (zero-padded) so that they end at `end`; returns
// the digits before them (x / 10^count). Divisions by constants only: they become multiplies.
uint64_t put_last_digits(char* end, uint64_t x, size_t count) {
  for (; count >= 2; count -= 2) {
    end -= 2;
    std::memcpy(end, kTwoDigits + 2 * (x % 100), 2);
    x /= 100;
  }
  if (count == 1) {
    *--end = static_cast<char>('0' + x % 10);
    x /= 10;
  }
  return x;
}

char* put_escaped(char* p, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\n': *p++ = 'n'; break;
    case '\r': *p++ = 'r'; break;
    case '\t': *p++ = 't'; break;
    default:
      p = put(p, "u00");
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 0xF];
  }
  return p;
}

bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// At most string_max(s) chars. Stretches of 16 bytes that need no escape are copied whole.
char* put_string(char* p, std::string_view s) {
  *p++ = '"';
  size_t i = 0;
#ifdef __SSE2__
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i high3 = _mm_and_si128(chunk, _mm_set1_epi8(static_cast<char>(0xE0)));
    const __m128i control = _mm_cmpeq_epi8(high3, _mm_setzero_si128());  // c < 0x20
    const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')),
                                         _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\')));
    if (_mm_movemask_epi8(_mm_or_si128(control, special)) != 0) break;  // the loop below escapes
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), chunk);
    p += 16;
  }
#endif
  for (const char ch : s.substr(i)) {
    const auto c = static_cast<unsigned char>(ch);
    if (needs_escape(c)) {
      p = put_escaped(p, c);
    } else {
      *p++ = ch;
    }
  }
  *p++ = '"';
  return p;
}

// What std::to_chars prints as the shortest round trip, for the common case of a value with at
// most 6 decimals (sensor readings, coordinates, means of them), without its general algorithm.
// The smallest k for which round(|v| * 10^k) / 10^k == |v| gives the shortest digits (10^-k is
// far above the spacing of doubles below 1e9, so no other k-decimal string round-trips). That k
// is found with one rounding at k = 6: |v| * 1e6 < 2^53 is then exact to well under 0.5, so
// X = round(|v| * 1e6) passes the check whenever any smaller k does, and the smallest k is 6
// minus X's trailing decimal zeros. to_chars prints the digits fixed unless scientific
// notation is strictly shorter. nullptr: not such a value (the caller uses to_chars). codec_test
// checks it against to_chars.
char* put_short_fixed(char* p, double v) {
  const double a = std::fabs(v);
  if (!(a >= 1e-3 && a < 1e9)) return nullptr;
  const double x = std::nearbyint(a * 1e6);
  if (x / 1e6 != a) return nullptr;
  auto digits = static_cast<uint64_t>(x);  // < 1e15: at most 15 digits
  size_t k = 6;
  for (const auto& [zeros, pow10] : {std::pair<size_t, uint64_t>{4, 10'000}, {2, 100}, {1, 10}}) {
    if (k >= zeros && digits % pow10 == 0) {
      digits /= pow10;
      k -= zeros;
    }
  }
  const size_t len = decimal_length(digits);
  size_t significant = len;  // scientific notation drops trailing zeros (k = 0 only)
  for (uint64_t d = digits; k == 0 && d % 10 == 0; d /= 10) --significant;
  const long exponent = static_cast<long>(len) - 1 - static_cast<long>(k);
  const size_t exp_digits = std::labs(exponent) >= 100 ? 3 : 2;
  const size_t scientific = significant + (significant > 1 ? 1 : 0) + 2 + exp_digits;
  const size_t fixed = k == 0 ? len : (len > k ? len + 1 : k + 2);
  if (fixed > scientific) return nullptr;
  // The digits go straight to their place: copying them from a scratch buffer just written
  // stalled on store forwarding.
  if (v < 0) *p++ = '-';
  if (k == 0) {
    put_last_digits(p + len, digits, len);
    return p + len;
  }
  if (len > k) {
    char* const point = p + (len - k);
    const uint64_t whole = put_last_digits(point + 1 + k, digits, k);
    *point = '.';
    put_last_digits(point, whole, len - k);
    return point + 1 + k;
  }
  p[0] = '0';
  p[1] = '.';
  put_last_digits(p + 2 + k, digits, k);  // zero-padded to k digits
  return p + 2 + k;
}

// At most kNumberMax chars.
char* put_number(char* p, double v) {
  if (!std::isfinite(v)) return put(p, "null");
  if (v == 0) return std::signbit(v) ? put(p, "-0") : put(p, "0");
  if (char* end = put_short_fixed(p, v)) return end;
  auto [end, ec] = std::to_chars(p, p + kNumberMax, v);
  return ec == std::errc() ? end : put(p, "null");
}

// At most kIntMax chars.
char* put_int(char* p, int64_t v) { return std::to_chars(p, p + kIntMax, v).ptr; }

// `key` is the literal before the value, e.g. ",\"lat\":".
template <size_t N>
char* put_field(char* p, const char (&key)[N], std::string_view v) {
  return put_string(put(p, key), v);
}
template <size_t N>
char* put_field(char* p, const char (&key)[N], double v) {
  return put_number(put(p, key), v);
}
template <size_t N>
char* put_field(char* p, const char (&key)[N], int64_t v) {
  return put_int(put(p, key), v);
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;  // start of the stretch copied as is
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    char buf[8];
    out.append(buf, put_escaped(buf, c));
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json_number(std::string& out, double v) {
  char buf[kNumberMax];
  out.append(buf, put_number(buf, v));
}

namespace {

size_t measurement_max(const Measurement& m) {
  size_t n = kPrefixMax + 2 * kNumberMax + 16;
  if (!m.unit.empty()) n += 16 + string_max(m.unit);
  if (m.flags != 0) n += 16 + 16 * kPrefixMax;
  return n;
}

char* put_flags(char* p, FlagSet flags) {
  p = put(p, ",\"flags\":[");
  bool first = true;
  for (unsigned bit = 0; bit < 16; ++bit) {
    if ((flags & (1u << bit)) == 0) continue;
    if (!first) *p++ = ',';
    first = false;
    p = quoted_flag(bit).put(p);
  }
  *p++ = ']';
  return p;
}

char* put_measurement(char* p, const Measurement& m) {
  p = measurement_prefix(m.metric).put(p);
  p = put_number(p, m.value);
  if (!std::isnan(m.raw)) p = put_field(p, ",\"raw\":", m.raw);
  if (!m.unit.empty()) p = put_field(p, ",\"unit\":", m.unit);
  if (m.flags != 0) p = put_flags(p, m.flags);
  *p++ = '}';
  return p;
}

size_t enrichment_max(const Enrichment& e) {
  return 96 + kIntMax + string_max(e.region) + string_max(e.timezone) + string_max(e.local_time);
}

char* put_enrichment(char* p, const Enrichment& e) {
  p = put_field(p, ",\"region\":", e.region);
  p = put_field(p, ",\"timezone\":", e.timezone);
  p = put_field(p, ",\"utc_offset_secs\":", int64_t{e.utc_offset_secs});
  return put_field(p, ",\"local_time\":", e.local_time);
}

}  // namespace

void encode_reading_head(const Reading& r, std::string& out) {
  const StationRef& st = r.station;
  const size_t bound = 128 + 2 * kNumberMax + string_max(r.source.get()) + string_max(st.id.get()) +
                       string_max(st.name) + string_max(st.provider_id);
  char* const begin = scratch(bound);
  char* p = put_field(begin, "{\"v\":1,\"source\":", r.source.get());
  p = put_field(p, ",\"station\":{\"id\":", st.id.get());
  p = put_field(p, ",\"name\":", st.name);
  p = put_field(p, ",\"lat\":", st.lat);
  p = put_field(p, ",\"lon\":", st.lon);
  if (!st.provider_id.empty()) p = put_field(p, ",\"provider_id\":", st.provider_id);
  p = put(p, "},\"observed_at\":\"");
  out.append(begin, p);
}

void encode_reading_tail(const Reading& r, std::string& out) {
  size_t bound = 64 + 2 * kRfc3339MaxChars + (r.enrichment ? enrichment_max(*r.enrichment) : 0);
  for (const auto& m : r.measurements) bound += measurement_max(m);
  char* const begin = scratch(bound);
  char* p = write_rfc3339(begin, r.observed_at);
  p = put(p, "\",\"ingested_at\":\"");
  p = write_rfc3339(p, r.ingested_at);
  p = put(p, "\",\"measurements\":{");
  for (size_t i = 0; i < r.measurements.size(); ++i) {
    if (i > 0) *p++ = ',';
    p = put_measurement(p, r.measurements[i]);
  }
  *p++ = '}';
  if (r.enrichment) p = put_enrichment(p, *r.enrichment);
  *p++ = '}';
  out.append(begin, p);
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
  char* const begin = scratch(64 + string_max(source) + string_max(station));
  char* p = put_field(begin, "{\"v\":1,\"source\":", source);
  p = put_field(p, ",\"station\":", station);
  p = put(p, ",\"metric\":\"");
  out.append(begin, p);
}

void encode_aggregate_tail(const Aggregate& a, std::string& out) {
  char* const begin = scratch(128 + kPrefixMax + kRfc3339MaxChars + 3 * kNumberMax +
                              3 * kIntMax + string_max(a.dominant));
  char* p = aggregate_prefix(a.metric).put(begin);
  p = write_rfc3339(p, a.bucket_start);
  p = put_field(p, "\",\"bucket_secs\":", int64_t{a.bucket.count()});
  p = put_field(p, ",\"mean\":", a.mean);
  p = put_field(p, ",\"min\":", a.min);
  p = put_field(p, ",\"max\":", a.max);
  p = put_field(p, ",\"count\":", int64_t{a.count});
  p = put_field(p, ",\"revision\":", int64_t{a.revision});
  if (!a.dominant.empty()) p = put_field(p, ",\"dominant\":", a.dominant);
  *p++ = '}';
  out.append(begin, p);
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
