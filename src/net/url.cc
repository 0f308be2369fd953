#include "net/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <curl/curl.h>

namespace envmon::net {

namespace {

bool unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
         c == '~';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}

// A parameter name as a server reads it: percent-decoded and lower-cased.
std::string normalized_name(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    const int hi = name[i] == '%' && i + 2 < name.size() ? hex_digit(name[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(name[i + 2]) : -1;
    const char c = lo >= 0 ? static_cast<char>(hi * 16 + lo) : name[i];
    if (lo >= 0) i += 2;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool is_secret(std::string_view name, const std::vector<std::string>& secrets) {
  const std::string n = normalized_name(name);
  return std::any_of(secrets.begin(), secrets.end(),
                     [&](const std::string& s) { return normalized_name(s) == n; });
}

// Rewrites one "name=value" pair of a query.
void append_param(std::string& out, std::string_view pair,
                  const std::vector<std::string>& secrets) {
  const size_t eq = pair.find('=');
  const std::string_view name = pair.substr(0, eq);
  if (eq != std::string_view::npos && is_secret(name, secrets)) {
    out.append(name).append("=REDACTED");
  } else {
    out.append(pair);
  }
}

// "scheme://user:pass@host/..." -> "scheme://REDACTED@host/...".
std::string redact_userinfo(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t begin = scheme + 3;
  const size_t end = url.find_first_of("/?#", begin);
  const size_t at = url.substr(begin, end == std::string_view::npos ? end : end - begin).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, begin)) + "REDACTED" + std::string(url.substr(begin + at));
}

}  // namespace

std::string format_coordinate(double degrees) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), degrees, std::chars_format::fixed, 6);
  std::string s(buf, res.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    if (unreserved(c)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0F]);
    }
  }
  return out;
}

std::string redact_query(std::string_view raw_url, const std::vector<std::string>& secret_params) {
  const std::string url = redact_userinfo(raw_url);
  const size_t q = url.find('?');
  if (q == std::string::npos) return url;
  const size_t hash = url.find('#', q);
  const std::string_view query =
      std::string_view(url).substr(q + 1, hash == std::string::npos ? hash : hash - q - 1);
  std::string out(url.substr(0, q + 1));
  size_t start = 0;
  for (size_t i = 0; i <= query.size(); ++i) {
    if (i < query.size() && query[i] != '&' && query[i] != ';') continue;
    append_param(out, query.substr(start, i - start), secret_params);
    if (i < query.size()) out.push_back(query[i]);
    start = i + 1;
  }
  if (hash != std::string::npos) out.append(url.substr(hash));
  return out;
}

std::optional<Seconds> parse_retry_after(std::string_view value, Timestamp now) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())) != 0)
    value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())) != 0)
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front())) != 0) {
    int64_t secs = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ptr != value.data() + value.size()) return std::nullopt;      // "12abc", "1.5"
    if (ec == std::errc::result_out_of_range) return kMaxRetryAfter;  // all digits, just huge
    return std::min(Seconds(secs), kMaxRetryAfter);
  }
  const std::string text(value);
  const time_t at = curl_getdate(text.c_str(), nullptr);
  if (at < 0) return std::nullopt;
  const int64_t delta = static_cast<int64_t>(at) - to_unix_ms(now) / 1000;
  return std::min(Seconds(std::max<int64_t>(0, delta)), kMaxRetryAfter);
}

std::string sanitize_error_text(std::string_view text) {
  size_t cut = text.find('?');
  const size_t scheme = text.find("://");
  if (scheme != std::string_view::npos) {
    // Cut at the start of the scheme word, not in its middle.
    size_t begin = scheme;
    while (begin > 0 && std::isalpha(static_cast<unsigned char>(text[begin - 1])) != 0)
      --begin;
    cut = std::min(cut, begin);
  }
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == ':'))
    out.pop_back();
  return out;
}

HttpRequest make_get(const std::string& url, std::string_view secret_param,
                     std::string_view secret) {
  HttpRequest req;
  req.url = url;
  if (!secret.empty()) {
    req.url += url.find('?') == std::string::npos ? '?' : '&';
    req.url.append(secret_param).append("=").append(url_encode(secret));
  }
  req.redacted_url = secret_param.empty() ? redact_query(req.url, {})
                                          : redact_query(req.url, {std::string(secret_param)});
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

}  // namespace envmon::net
