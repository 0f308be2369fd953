#include "core/time.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

namespace envmon {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;

bool read_digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

Error bad_time(std::string_view text, std::string_view why) {
  return Error(Errc::invalid_argument,
               "invalid RFC 3339 time '" + std::string(text) + "': " + std::string(why));
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return (m == 2 && leap) ? 29 : kDays[m - 1];
}

}  // namespace

int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

namespace {

// "00".."99": two digits per table lookup instead of a division and a remainder each.
constexpr char kTwoDigits[] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

char* put2(char* p, unsigned v) {
  std::memcpy(p, kTwoDigits + 2 * v, 2);
  return p + 2;
}

// "YYYY-MM-DD" of a day: the messages of a stream mostly share a day, so the last one is cached
// per thread (civil_from_days and the formatting were a third of the formatter).
char* put_date(char* p, int64_t days) {
  struct Cache {
    int64_t days = INT64_MIN;
    char text[10];
  };
  thread_local Cache cache;
  if (days != cache.days) {
    const CivilDate c = civil_from_days(days);
    if (c.year < 0 || c.year > 9999) {
      const std::string year = std::to_string(c.year);
      p = std::copy(year.begin(), year.end(), p);
      *p++ = '-';
      p = put2(p, c.month);
      *p++ = '-';
      return put2(p, c.day);
    }
    char* q = put2(cache.text, static_cast<unsigned>(c.year / 100));
    q = put2(q, static_cast<unsigned>(c.year % 100));
    *q++ = '-';
    q = put2(q, c.month);
    *q++ = '-';
    put2(q, c.day);
    cache.days = days;
  }
  std::memcpy(p, cache.text, sizeof(cache.text));
  return p + sizeof(cache.text);
}

}  // namespace

char* write_rfc3339(char* p, Timestamp t) {
  const int64_t ms_total = to_unix_ms(t);
  int64_t days = ms_total / kMsPerDay;
  int64_t rem = ms_total % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  const auto secs = static_cast<unsigned>(rem / 1000);
  const auto ms = static_cast<unsigned>(rem % 1000);
  p = put_date(p, days);
  *p++ = 'T';
  p = put2(p, secs / 3600);
  *p++ = ':';
  p = put2(p, (secs / 60) % 60);
  *p++ = ':';
  p = put2(p, secs % 60);
  if (ms != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + ms / 100);
    p = put2(p, ms % 100);
  }
  *p++ = 'Z';
  return p;
}

void append_rfc3339(std::string& out, Timestamp t) {
  char buf[kRfc3339MaxChars];
  out.append(buf, write_rfc3339(buf, t));
}

std::string format_rfc3339(Timestamp t) {
  std::string out;
  out.reserve(24);
  append_rfc3339(out, t);
  return out;
}

Result<Timestamp> parse_rfc3339(std::string_view s) {
  // The last valid "YYYY-MM-DD" and its day number, per thread: the times of a stream mostly
  // share a day, whose checks and calendar arithmetic then need not be redone.
  struct KnownDay {
    char text[10];
    int64_t days = 0;
    bool valid = false;
  };
  thread_local KnownDay last;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 20) return bad_time(s, "too short, expected YYYY-MM-DDTHH:MM:SSZ");
  const bool known_day = last.valid && std::memcmp(s.data(), last.text, sizeof(last.text)) == 0;
  if (!known_day && (!read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
                     s[7] != '-' || !read_digits(s, 8, 2, d))) {
    return bad_time(s, "date part must be YYYY-MM-DD");
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad_time(s, "expected 'T' after date");
  if (!read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
      !read_digits(s, 17, 2, sec)) {
    return bad_time(s, "time part must be HH:MM:SS");
  }
  if (!known_day && (mo < 1 || mo > 12 || d < 1 ||
                     static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))))
    return bad_time(s, "no such calendar date");
  if (h > 23 || mi > 59 || sec > 60) return bad_time(s, "hour, minute or second out of range");
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad_time(s, "empty fraction of a second");
    for (int i = digits; i < 3; ++i) frac_ms *= 10;
  }
  int64_t offset_secs = 0;
  if (pos >= s.size()) return bad_time(s, "missing UTC offset ('Z' or +HH:MM)");
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad_time(s, "offset must be +HH:MM or -HH:MM");
    }
    offset_secs = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad_time(s, "missing UTC offset ('Z' or +HH:MM)");
  }
  if (pos != s.size()) return bad_time(s, "trailing characters");
  const int64_t days = known_day ? last.days
                                 : days_from_civil(y, static_cast<unsigned>(mo),
                                                   static_cast<unsigned>(d));
  if (!known_day) {
    std::memcpy(last.text, s.data(), sizeof(last.text));
    last.days = days;
    last.valid = true;
  }
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + std::min(sec, 59) - offset_secs;
  return from_unix_ms(secs * 1000 + frac_ms);
}

Result<Timestamp> parse_date(std::string_view s) {
  int y = 0, mo = 0, d = 0;
  if (s.size() != 10 || !read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d) || mo < 1 || mo > 12 || d < 1 ||
      static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) {
    return Error(Errc::invalid_argument, "invalid date '" + std::string(s) + "', expected YYYY-MM-DD");
  }
  return from_unix_ms(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kMsPerDay);
}

std::string format_date(Timestamp t) {
  const std::string full = format_rfc3339(floor_to(t, Millis(kMsPerDay)));
  return full.substr(0, 10);
}

}  // namespace envmon
