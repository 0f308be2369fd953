#include "tools/fake_providers/body_template.h"

#include <charconv>
#include <utility>

#include "core/time.h"

namespace envmon::fake_providers {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `n` digits at `pos`; -1 when any of them is not a digit.
int digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return -1;
    v = v * 10 + (s[pos + i] - '0');
  }
  return v;
}

// "Z", "+HH:MM" or "-HH:MM" covering all of `rest`.
std::optional<int64_t> parse_offset(std::string_view rest) {
  if (rest == "Z" || rest == "z") return 0;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return {};
  const int h = digits(rest, 1, 2);
  const int m = digits(rest, 4, 2);
  if (h < 0 || m < 0) return {};
  const int64_t secs = h * 3600 + m * 60;
  return rest[0] == '-' ? -secs : secs;
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

bool key_in(std::string_view key, std::initializer_list<std::string_view> keys) {
  for (const auto k : keys) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace

std::optional<ParsedDateTime> parse_datetime(std::string_view s) {
  // The calendar part is core's date parser; only the optional time and offset are ours.
  const auto day = parse_date(s.substr(0, 10));
  if (!day) return {};
  ParsedDateTime out{DateForm::date, 10, to_unix_ms(*day) / 1000, {}};
  if (s.size() > 10 && (s[10] == 'T' || s[10] == ' ')) {
    const int h = digits(s, 11, 2);
    const int mi = digits(s, 14, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s.size() < 16 || s[13] != ':') return {};
    out.wall_secs += h * 3600 + mi * 60;
    out.form = s[10] == ' ' ? DateForm::space_seconds : DateForm::minutes;
    out.length = 16;
    const int sec = s.size() >= 19 && s[16] == ':' ? digits(s, 17, 2) : -1;
    if (sec >= 0 && sec <= 60) {
      out.wall_secs += sec;
      out.length = 19;
      if (out.form == DateForm::minutes) out.form = DateForm::seconds;
    } else if (out.form == DateForm::space_seconds) {
      return {};
    }
  }
  if (out.length == s.size()) return out;
  if (out.form == DateForm::date) return {};
  out.offset_secs = parse_offset(s.substr(out.length));
  if (!out.offset_secs) return {};
  return out;
}

void append_datetime(std::string& out, int64_t wall_secs, DateForm form) {
  // core's RFC 3339 printer ("YYYY-MM-DDTHH:MM:SSZ"; whole seconds, so no fraction), cut to
  // the recorded shape in place: no temporary string on the per-request path.
  const size_t at = out.size();
  append_rfc3339(out, from_unix_ms(wall_secs * 1000));
  switch (form) {
    case DateForm::date:
      out.resize(at + 10);
      break;
    case DateForm::minutes:
      out.resize(at + 16);
      break;
    case DateForm::seconds:
      out.resize(at + 19);
      break;
    case DateForm::space_seconds:
      out.resize(at + 19);
      out[at + 10] = ' ';
      break;
  }
}

// Walks the JSON text once, tracking for each value the key it sits under (or, inside an
// array, the array's key and index). Not a validator: samples are trusted, only structure
// matters.
class TemplateScanner {
 public:
  explicit TemplateScanner(BodyTemplate& t) : t_(t), s_(t.text_) {}

  Status run() {
    while (pos_ < s_.size()) {
      ENVMON_TRY(step());
    }
    if (!stack_.empty()) return Error(Errc::decode_syntax, "sample ends inside a container");
    finish_main();
    return ok_status();
  }

 private:
  struct Frame {
    bool array;
    std::string_view key;
    size_t index;
  };

  Status step() {
    const char c = s_[pos_];
    if (c == '{' || c == '[') {
      stack_.push_back(Frame{c == '[', value_key(), 0});
      expect_key_ = c == '{';
      ++pos_;
    } else if (c == '}' || c == ']') {
      if (stack_.empty() || stack_.back().array != (c == ']')) {
        return Error(Errc::decode_syntax, "unbalanced bracket at " + std::to_string(pos_));
      }
      stack_.pop_back();
      ++pos_;
    } else if (c == ',') {
      if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
      expect_key_ = !stack_.empty() && !stack_.back().array;
      ++pos_;
    } else if (c == '"') {
      return string_token();
    } else if (c == '-' || is_digit(c)) {
      number_token();
    } else {
      ++pos_;  // whitespace, ':' and the letters of true/false/null
    }
    return ok_status();
  }

  Status string_token() {
    size_t end = pos_ + 1;
    while (end < s_.size() && s_[end] != '"')
      end += s_[end] == '\\' ? 2 : 1;
    if (end >= s_.size()) return Error(Errc::decode_syntax, "unterminated string");
    const std::string_view content = s_.substr(pos_ + 1, end - pos_ - 1);
    if (expect_key_) {
      pending_key_ = content;
      expect_key_ = false;
    } else {
      on_string(pos_ + 1, content);
    }
    pos_ = end + 1;
    return ok_status();
  }

  void number_token() {
    size_t end = pos_ + 1;
    while (end < s_.size() && (is_digit(s_[end]) || s_[end] == '.' || s_[end] == 'e' ||
                               s_[end] == 'E' || s_[end] == '+' || s_[end] == '-')) {
      ++end;
    }
    on_number(pos_, end);
    pos_ = end;
  }

  std::string_view value_key() const {
    if (stack_.empty()) return {};
    return stack_.back().array ? stack_.back().key : pending_key_;
  }
  bool in_array() const { return !stack_.empty() && stack_.back().array; }

  void add(size_t b, size_t e, SpanKind kind, DateForm form = DateForm::date, int64_t v = 0) {
    t_.spans_.push_back(Span{b, e, kind, form, v});
  }

  void on_string(size_t begin, std::string_view content) {
    const auto dt = parse_datetime(content);
    if (!dt) return;
    add(begin, begin + dt->length, SpanKind::datetime, dt->form, dt->wall_secs);
    if (!main_span_ && key_in(value_key(), {"iso", "time"})) {
      main_span_ = t_.spans_.size() - 1;
      main_offset_ = dt->offset_secs;
      t_.main_is_series_ = in_array();
    }
  }

  void on_number(size_t b, size_t e) {
    const std::string_view key = value_key();
    if (in_array()) {
      if (key == "geo" && stack_.back().index < 2) {
        add(b, e, stack_.back().index == 0 ? SpanKind::lat : SpanKind::lon);
      }
      return;
    }
    if (key_in(key, {"lat", "latitude"})) return add(b, e, SpanKind::lat);
    if (key_in(key, {"lon", "longitude"})) return add(b, e, SpanKind::lon);
    if (key == "idx") return add(b, e, SpanKind::idx);
    int64_t v = 0;
    const auto res = std::from_chars(s_.data() + b, s_.data() + e, v);
    if (res.ec != std::errc() || res.ptr != s_.data() + e) return;  // not an integer
    if (key == "utc_offset_seconds") t_.utc_offset_secs_ = v;
    // Small numbers under these keys are readings (iaqi "v") or "no event" zeros (moonrise).
    if (v < 100'000'000 || !key_in(key, {"dt", "sunrise", "sunset", "moonrise", "moonset", "v",
                                         "vtime", "start", "end"})) {
      return;
    }
    add(b, e, SpanKind::epoch, DateForm::date, v);
    if (!main_span_ && key_in(key, {"dt", "vtime"})) main_span_ = t_.spans_.size() - 1;
  }

  void finish_main() {
    if (!main_span_) return;
    const Span& span = t_.spans_[*main_span_];
    if (span.kind == SpanKind::epoch) {
      t_.main_instant_ = span.value;
    } else {
      // Open-Meteo writes local times without an offset; utc_offset_seconds says which.
      t_.main_instant_ = span.value - main_offset_.value_or(t_.utc_offset_secs_);
    }
  }

  BodyTemplate& t_;
  std::string_view s_;
  size_t pos_ = 0;
  std::vector<Frame> stack_;
  std::string_view pending_key_;
  bool expect_key_ = false;
  std::optional<size_t> main_span_;
  std::optional<int64_t> main_offset_;
};

Result<BodyTemplate> BodyTemplate::parse(std::string text) {
  BodyTemplate t;
  t.text_ = std::move(text);
  TemplateScanner scanner(t);
  ENVMON_TRY(scanner.run());
  return t;
}

std::string BodyTemplate::render(const RenderParams& p) const {
  std::string out;
  out.reserve(text_.size() + 64);
  size_t last = 0;
  for (const Span& span : spans_) {
    out.append(text_, last, span.begin - last);
    const std::string_view original(text_.data() + span.begin, span.end - span.begin);
    switch (span.kind) {
      case SpanKind::epoch:
        append_int(out, span.value + p.shift_secs);
        break;
      case SpanKind::datetime:
        append_datetime(out, span.value + p.shift_secs, span.form);
        break;
      case SpanKind::lat:
        out.append(p.lat.empty() ? original : p.lat);
        break;
      case SpanKind::lon:
        out.append(p.lon.empty() ? original : p.lon);
        break;
      case SpanKind::idx:
        out.append(p.idx.empty() ? original : p.idx);
        break;
    }
    last = span.end;
  }
  out.append(text_, last, std::string::npos);
  return out;
}

}  // namespace envmon::fake_providers
