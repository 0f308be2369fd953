#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace envmon {

// Every instant inside envmon is UTC with millisecond precision; raw integers exist only at edges.
using Millis = std::chrono::milliseconds;
using Seconds = std::chrono::seconds;
using Timestamp = std::chrono::sys_time<Millis>;

inline int64_t to_unix_ms(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_unix_ms(int64_t ms) { return Timestamp(Millis(ms)); }

// RFC 3339 in UTC with a 'Z' suffix; milliseconds are printed only when non-zero.
std::string format_rfc3339(Timestamp t);
// Appends the same text to `out` without allocating a temporary (hot path of the codec).
void append_rfc3339(std::string& out, Timestamp t);
// Writes the same text at `out`, which has room for kRfc3339MaxChars; returns the end.
inline constexpr size_t kRfc3339MaxChars = 40;
char* write_rfc3339(char* out, Timestamp t);

// Parses RFC 3339 ("2026-01-02T03:04:05Z", "...05.123+05:30", lower-case 't'/'z' accepted).
// Offsets are applied so the result is UTC. Anything else is an error naming what is wrong.
Result<Timestamp> parse_rfc3339(std::string_view text);

// Parses a calendar date "YYYY-MM-DD" as midnight UTC.
Result<Timestamp> parse_date(std::string_view text);
std::string format_date(Timestamp t);  // "YYYY-MM-DD" of the UTC day

// Floors t to a multiple of `step` since the epoch (hour buckets, day partitions).
inline Timestamp floor_to(Timestamp t, Millis step) {
  const int64_t ms = to_unix_ms(t);
  const int64_t s = step.count();
  int64_t q = ms / s;
  if (ms % s < 0) --q;
  return from_unix_ms(q * s);
}

// Days since 1970-01-01 <-> civil date (Howard Hinnant's algorithms; proleptic Gregorian).
struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};
int64_t days_from_civil(int year, unsigned month, unsigned day);
CivilDate civil_from_days(int64_t days);

}  // namespace envmon
