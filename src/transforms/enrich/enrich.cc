#include "transforms/enrich/enrich.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace envmon::transforms {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

// Fixed-width decimal digits (zero-padded; wider values keep their low digits).
void put_digits(char* p, int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

// "YYYY-MM-DD" into p[0..10).
void put_date(char* p, int64_t year, int64_t month, int64_t day) {
  put_digits(p, year, 4);
  p[4] = '-';
  put_digits(p + 5, month, 2);
  p[7] = '-';
  put_digits(p + 8, day, 2);
}

// "Thh:mm:ss[.mmm]+hh:mm" at p; returns its length. Milliseconds only when non-zero.
size_t put_clock_and_offset(char* p, int64_t hour, int64_t minute, int64_t second, int64_t frac_ms,
                            int32_t offset_secs) {
  p[0] = 'T';
  put_digits(p + 1, hour, 2);
  p[3] = ':';
  put_digits(p + 4, minute, 2);
  p[6] = ':';
  put_digits(p + 7, second, 2);
  size_t n = 9;
  if (frac_ms != 0) {
    p[n] = '.';
    put_digits(p + n + 1, frac_ms, 3);
    n += 4;
  }
  p[n] = offset_secs < 0 ? '-' : '+';
  const int abs_off = std::abs(offset_secs);
  put_digits(p + n + 1, abs_off / 3600, 2);
  p[n + 3] = ':';
  put_digits(p + n + 4, (abs_off % 3600) / 60, 2);
  return n + 6;
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b < 0) ? q - 1 : q;
}

// Longest output: "YYYY-MM-DDThh:mm:ss.mmm+hh:mm" (29 characters).
constexpr size_t kLocalTimeMax = 32;

}  // namespace

void format_local_time(Timestamp t, const absl::TimeZone& tz, std::string& out, int32_t& offset_secs) {
  const int64_t ms = to_unix_ms(t);
  const absl::TimeZone::CivilInfo info = tz.At(absl::FromUnixMillis(ms));
  offset_secs = info.offset;
  const absl::CivilSecond cs = info.cs;
  char buf[kLocalTimeMax];
  put_date(buf, cs.year(), cs.month(), cs.day());
  const int64_t frac = ((ms % 1000) + 1000) % 1000;
  const size_t n =
      put_clock_and_offset(buf + 10, cs.hour(), cs.minute(), cs.second(), frac, offset_secs);
  out.assign(buf, 10 + n);
}

Enricher::Enricher(const std::vector<config::StationConfig>& stations) {
  zones_.reserve(stations.size());
  for (const auto& st : stations) {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(st.timezone, &tz)) {
      throw std::invalid_argument("station " + st.id + ": time zone '" + st.timezone +
                                  "' is not in the tz database");
    }
    zones_.push_back(Zone{st, tz, OffsetSpan{}, DateCache{}});
  }
}

// The offset at `ms`, from the station's cached span when `ms` is inside it; otherwise from the
// tz database, which also gives the surrounding transitions as the new span.
int32_t Enricher::offset_at(const Zone& z, int64_t ms) {
  OffsetSpan& span = z.span;
  if (ms >= span.from_ms && ms < span.until_ms) return span.offset_secs;
  const absl::Time t = absl::FromUnixMillis(ms);
  const int32_t offset = z.tz.At(t).offset;
  // Prev/NextTransition work in whole seconds and are strict: asking for the one before the next
  // second makes a transition at this very second the span's start. At(to).trans is the instant
  // of a transition (absl's documented idiom).
  const absl::Time next_second = absl::FromUnixSeconds(floor_div(ms, 1000) + 1);
  absl::TimeZone::CivilTransition tr;
  const int64_t from = z.tz.PrevTransition(next_second, &tr)
                           ? absl::ToUnixMillis(z.tz.At(tr.to).trans)
                           : INT64_MIN;
  const int64_t until =
      z.tz.NextTransition(t, &tr) ? absl::ToUnixMillis(z.tz.At(tr.to).trans) : INT64_MAX;
  // Cached only when the span holds `ms` and starts with this offset; otherwise the next call
  // simply looks up again.
  const bool consistent = from <= ms && ms < until &&
                          (from == INT64_MIN || z.tz.At(absl::FromUnixMillis(from)).offset == offset);
  if (consistent) span = OffsetSpan{from, until, offset};
  return offset;
}

void Enricher::enrich_at(size_t index, Timestamp t, Enrichment& e) const {
  const Zone& z = zones_[index];
  e.region.assign(z.station.region);
  e.timezone.assign(z.station.timezone);
  const int64_t ms = to_unix_ms(t);
  const int32_t offset = offset_at(z, ms);
  e.utc_offset_secs = offset;
  // Local wall time is UTC plus the offset; the date changes once a local day.
  const int64_t local_ms = ms + int64_t{offset} * 1000;
  const int64_t day = floor_div(local_ms, kMsPerDay);
  if (day != z.date.local_day) {
    const CivilDate c = civil_from_days(day);
    put_date(z.date.text, c.year, c.month, c.day);
    z.date.local_day = day;
  }
  const int64_t ms_of_day = local_ms - day * kMsPerDay;
  const int64_t secs = ms_of_day / 1000;
  char buf[kLocalTimeMax];
  std::memcpy(buf, z.date.text, 10);
  const size_t n = put_clock_and_offset(buf + 10, secs / 3600, secs % 3600 / 60, secs % 60,
                                        ms_of_day % 1000, offset);
  e.local_time.assign(buf, 10 + n);
}

void Enricher::enrich(size_t index, Reading& r) const {
  const config::StationConfig& st = zones_[index].station;
  r.station.name.assign(st.name);
  r.station.lat = st.lat;
  r.station.lon = st.lon;
  if (!r.enrichment) r.enrichment.emplace();
  enrich_at(index, r.observed_at, *r.enrichment);
}

}  // namespace envmon::transforms
