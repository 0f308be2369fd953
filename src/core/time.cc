#include "core/time.h"

#include <cstdio>

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

void append_rfc3339(std::string& out, Timestamp t) {
  const int64_t ms_total = to_unix_ms(t);
  int64_t days = ms_total / kMsPerDay;
  int64_t rem = ms_total % kMsPerDay;
  if (rem < 0) {
    rem += kMsPerDay;
    --days;
  }
  const CivilDate c = civil_from_days(days);
  const auto secs = static_cast<int>(rem / 1000);
  const auto ms = static_cast<int>(rem % 1000);
  // Hand-formatted: this runs for every message on the hot path, where snprintf cost ~10%.
  char buf[24];
  auto put2 = [&](int at, int v) {
    buf[at] = static_cast<char>('0' + v / 10);
    buf[at + 1] = static_cast<char>('0' + v % 10);
  };
  if (c.year < 0 || c.year > 9999) {
    out.append(std::to_string(c.year));
  } else {
    put2(0, c.year / 100);
    put2(2, c.year % 100);
    out.append(buf, 4);
  }
  buf[0] = '-';
  put2(1, static_cast<int>(c.month));
  buf[3] = '-';
  put2(4, static_cast<int>(c.day));
  buf[6] = 'T';
  put2(7, secs / 3600);
  buf[9] = ':';
  put2(10, (secs / 60) % 60);
  buf[12] = ':';
  put2(13, secs % 60);
  size_t n = 15;
  if (ms != 0) {
    buf[15] = '.';
    buf[16] = static_cast<char>('0' + ms / 100);
    put2(17, ms % 100);
    n = 19;
  }
  out.append(buf, n);
  out.push_back('Z');
}

std::string format_rfc3339(Timestamp t) {
  std::string out;
  out.reserve(24);
  append_rfc3339(out, t);
  return out;
}

Result<Timestamp> parse_rfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 20) return bad_time(s, "too short, expected YYYY-MM-DDTHH:MM:SSZ");
  if (!read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, mo) || s[7] != '-' ||
      !read_digits(s, 8, 2, d)) {
    return bad_time(s, "date part must be YYYY-MM-DD");
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad_time(s, "expected 'T' after date");
  if (!read_digits(s, 11, 2, h) || s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' ||
      !read_digits(s, 17, 2, sec)) {
    return bad_time(s, "time part must be HH:MM:SS");
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo)))
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
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
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
