#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace envmon::fake_providers {

// What a span of the sample text holds; everything between spans is copied through as is.
enum class SpanKind : uint8_t { epoch, datetime, lat, lon, idx };
// Shape of a date-time string, so it is re-printed the way it was recorded. Any offset
// ("Z", "+02:00") after it stays in the literal text.
enum class DateForm : uint8_t { date, minutes, seconds, space_seconds };

struct Span {
  size_t begin = 0;
  size_t end = 0;
  SpanKind kind = SpanKind::epoch;
  DateForm form = DateForm::date;
  int64_t value = 0;  // epoch seconds, or wall-clock seconds "as if UTC" for datetimes
};

// How a request wants the sample personalised. Empty texts leave the recorded value.
struct RenderParams {
  int64_t shift_secs = 0;
  std::string_view lat;
  std::string_view lon;
  std::string_view idx;
};

// A sample body parsed once into literal text plus spans (timestamps, coordinates, station ids)
// so each request only concatenates: the fake must answer thousands of requests a second.
class BodyTemplate {
 public:
  // Fails only when the text is not JSON-shaped enough to walk (unbalanced brackets, strings).
  static Result<BodyTemplate> parse(std::string text);
  // A body without spans: rendered as recorded.
  static BodyTemplate verbatim(std::string text) {
    BodyTemplate t;
    t.text_ = std::move(text);
    return t;
  }

  const std::string& text() const { return text_; }
  const std::vector<Span>& spans() const { return spans_; }
  // Instant (unix seconds) of the observation the body is about: the first `dt`/`vtime`
  // number or `iso`/`time` string; absent for bodies without one (errors, offline stations).
  std::optional<int64_t> main_instant() const { return main_instant_; }
  // True when the main time is the first element of a time series (hourly arrays), which
  // is aligned to a local day rather than to the poll step.
  bool main_is_series() const { return main_is_series_; }
  int64_t utc_offset_secs() const { return utc_offset_secs_; }

  std::string render(const RenderParams& params) const;

 private:
  friend class TemplateScanner;
  std::string text_;
  std::vector<Span> spans_;
  std::optional<int64_t> main_instant_;
  bool main_is_series_ = false;
  int64_t utc_offset_secs_ = 0;
};

// Date-time text helpers, exposed for tests. Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM",
// "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DD HH:MM:SS", optionally followed by "Z" or "+HH:MM".
struct ParsedDateTime {
  DateForm form;
  size_t length;                       // characters of the date-time part (offset excluded)
  int64_t wall_secs;                   // wall clock as if it were UTC
  std::optional<int64_t> offset_secs;  // present when an offset or Z followed
};
std::optional<ParsedDateTime> parse_datetime(std::string_view text);
void append_datetime(std::string& out, int64_t wall_secs, DateForm form);

}  // namespace envmon::fake_providers
