// The decoder's fast path for the layout envmon's own encoder writes (see codec_canonical.h).
// It accepts a strict subset of what the full decoder accepts and yields the same Reading, so
// any doubt (an escape, a non-ASCII byte, a field out of order, a bad time) falls back to the
// full decoder instead of deciding anything: errors are only ever the full decoder's.
#include "model/codec_canonical.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstring>

namespace envmon::codec_internal {

namespace {

// Metric ids are a few bytes: an inline loop beats the call to memcmp.
bool same_short(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Metric> find_metric(std::string_view id, size_t& hint) {
  const auto& catalogue = metric_catalogue();
  size_t at = hint;
  for (size_t i = 0; i < catalogue.size(); ++i, ++at) {
    if (at >= catalogue.size()) at = 0;
    if (same_short(catalogue[at].id, id)) {
      hint = at + 1;
      return catalogue[at].metric;
    }
  }
  return std::nullopt;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the well-formed UTF-8 sequence starting with the byte >= 0x80 at p (Unicode's
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is none.
// simdjson rejects exactly the others, so any byte this refuses goes to the full decoder.
size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  const unsigned c = p[0];
  size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return n;
}

// 10^0 .. 10^22: exactly representable, so one multiplication or division by them rounds once.
constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

class CanonicalReader {
 public:
  explicit CanonicalReader(std::string_view json)
      : p_(json.data()), end_(json.data() + json.size()) {}

  bool at_end() const { return p_ == end_; }

  // Consumes `literal` if the text continues with it.
  template <size_t N>
  bool literal(const char (&text)[N]) {
    if (static_cast<size_t>(end_ - p_) < N - 1 || std::memcmp(p_, text, N - 1) != 0) return false;
    p_ += N - 1;
    return true;
  }

  // A string without escapes or control characters, in well-formed UTF-8 (what the full
  // decoder reads as is).
  bool string(std::string_view& out) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* const start = ++p_;
    while (p_ != end_) {
      skip_plain_ascii();
      if (p_ == end_) break;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c < 0x20 || c == '\\') return false;
      if (c < 0x80) {
        ++p_;
        continue;
      }
      const size_t n = utf8_sequence(reinterpret_cast<const unsigned char*>(p_),
                                     reinterpret_cast<const unsigned char*>(end_));
      if (n == 0) return false;
      p_ += n;
    }
    return false;
  }

  // A JSON number (RFC 8259 grammar) of at most 19 digits, correctly rounded. Longer ones are
  // left to simdjson, whose result for them is not always the nearest double (3.0.1 reads
  // 0.199999999999999999999 as 0.0155...): the fast path must not decode differently. A
  // mantissa below 2^53 with a decimal exponent within +-22 takes one exact operation
  // (Clinger's fast path: sensor values such as 21.53); the rest goes through from_chars.
  bool number(double& out) {
    const char* const start = p_;
    const bool negative = p_ != end_ && *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    uint64_t mantissa = 0;
    int digits = 0;
    if (*p_ == '0') {
      ++p_;
      digits = 1;
    } else {
      read_digits(mantissa, digits);
    }
    int exponent = 0;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      const int before = digits;
      if (!read_digits(mantissa, digits)) return false;
      exponent = before - digits;
    }
    if (digits > 19) return false;
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E') && !read_exponent(exponent)) return false;
    if (mantissa <= (uint64_t{1} << 53) && exponent >= -22 && exponent <= 22) {
      const auto m = static_cast<double>(mantissa);
      const double v = exponent < 0 ? m / kExactPow10[-exponent] : m * kExactPow10[exponent];
      out = negative ? -v : v;
      return true;
    }
    const auto [ptr, ec] = std::from_chars(start, p_, out);
    return ec == std::errc() && ptr == p_ && std::isfinite(out);
  }

  // The readings of one tick share their times (every station's observed_at, mostly their
  // ingested_at): the last two texts and their values are kept per thread.
  bool time(Timestamp& out) {
    struct Known {
      std::array<char, 40> text{};
      size_t size = 0;
      Timestamp at{};
    };
    thread_local std::array<Known, 2> known;
    thread_local size_t next = 0;
    std::string_view text;
    if (!string(text)) return false;
    for (const Known& k : known) {
      if (k.size == text.size() && std::memcmp(k.text.data(), text.data(), text.size()) == 0) {
        out = k.at;
        return true;
      }
    }
    auto t = parse_rfc3339(text);
    if (!t.ok()) return false;
    out = *t;
    if (text.size() <= known[0].text.size()) {
      Known& k = known[next++ % known.size()];
      std::memcpy(k.text.data(), text.data(), text.size());
      k.size = text.size();
      k.at = out;
    }
    return true;
  }

 private:
  // Skips 16-byte stretches of printable ASCII other than '"' and '\\' (SSE2 where available).
  void skip_plain_ascii() {
#ifdef __SSE2__
    while (end_ - p_ >= 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      const __m128i control = _mm_cmpeq_epi8(
          _mm_and_si128(chunk, _mm_set1_epi8(static_cast<char>(0xE0))), _mm_setzero_si128());
      const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')),
                                           _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\')));
      // The sign bit marks bytes >= 0x80 by itself.
      const int mask = _mm_movemask_epi8(_mm_or_si128(chunk, _mm_or_si128(control, special)));
      if (mask != 0) {
        p_ += __builtin_ctz(static_cast<unsigned>(mask));
        return;
      }
      p_ += 16;
    }
#endif
  }

  // Appends digits to `mantissa` (wrapping past 19 digits, which number() refuses anyway).
  bool read_digits(uint64_t& mantissa, int& digits) {
    const char* const start = p_;
    for (; p_ != end_ && is_digit(*p_); ++p_) {
      mantissa = mantissa * 10 + static_cast<uint64_t>(*p_ - '0');
      ++digits;
    }
    return p_ != start;
  }

  // "e+12", "E-3", ...: adds the exponent (saturated far beyond any double) to `exponent`.
  bool read_exponent(int& exponent) {
    ++p_;
    const bool negative = p_ != end_ && *p_ == '-';
    if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    const char* const start = p_;
    int e = 0;
    for (; p_ != end_ && is_digit(*p_); ++p_) e = std::min(e * 10 + (*p_ - '0'), 100'000);
    exponent += negative ? -e : e;
    return p_ != start;
  }

  const char* p_;
  const char* end_;
};

bool assign_nonempty(CanonicalReader& in, std::string& out) {
  std::string_view s;
  if (!in.string(s) || s.empty()) return false;
  out.assign(s);
  return true;
}

// From the start up to and including observed_at (the encoder's head) and ingested_at.
bool read_head(CanonicalReader& in, Reading& r) {
  std::string_view s;
  StationRef& st = r.station;
  if (!in.literal(R"({"v":1,"source":)") || !assign_nonempty(in, r.source.get())) return false;
  if (!in.literal(R"(,"station":{"id":)") || !assign_nonempty(in, st.id.get())) return false;
  if (!in.literal(R"(,"name":)") || !in.string(s)) return false;
  st.name.assign(s);
  if (!in.literal(R"(,"lat":)") || !in.number(st.lat)) return false;
  if (!in.literal(R"(,"lon":)") || !in.number(st.lon)) return false;
  if (in.literal(R"(,"provider_id":)")) {
    if (!in.string(s)) return false;
    st.provider_id.assign(s);
  }
  if (!in.literal(R"(},"observed_at":)") || !in.time(r.observed_at)) return false;
  return !in.literal(R"(,"ingested_at":)") || in.time(r.ingested_at);
}

bool read_measurements(CanonicalReader& in, std::vector<Measurement>& out) {
  if (!in.literal(R"(,"measurements":{)")) return false;
  if (in.literal("}")) return true;
  size_t hint = 0;
  do {
    std::string_view id;
    if (!in.string(id)) return false;
    const auto metric = find_metric(id, hint);
    if (!metric || !in.literal(R"(:{"value":)")) return false;
    Measurement& m = out.emplace_back();
    m.metric = *metric;
    if (in.literal("null")) {
      m.value = std::nan("");
    } else if (!in.number(m.value)) {
      return false;
    }
    if (!in.literal("}")) return false;
  } while (in.literal(","));
  return in.literal("}");
}

bool read_enrichment(CanonicalReader& in, Reading& r) {
  Enrichment& e = r.enrichment.emplace();
  std::string_view region, timezone, local_time;
  double offset = 0;
  if (!in.string(region) || !in.literal(R"(,"timezone":)") || !in.string(timezone) ||
      !in.literal(R"(,"utc_offset_secs":)") || !in.number(offset) || offset != std::floor(offset) ||
      std::fabs(offset) > 86'400 ||
      !in.literal(R"(,"local_time":)") || !in.string(local_time)) {
    return false;
  }
  e.region.assign(region);
  e.timezone.assign(timezone);
  e.utc_offset_secs = static_cast<int32_t>(static_cast<int64_t>(offset));  // as get_int does
  e.local_time.assign(local_time);
  return true;
}

}  // namespace

bool decode_canonical_reading(std::string_view json, Reading& r) {
  CanonicalReader in(json);
  if (!read_head(in, r) || !read_measurements(in, r.measurements)) return false;
  if (in.literal(R"(,"region":)") && !read_enrichment(in, r)) return false;
  return in.literal("}") && in.at_end();
}

}  // namespace envmon::codec_internal
