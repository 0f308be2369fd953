#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "model/reading.h"
#include "sources/http/provider.h"
#include "sources/http/provider_json.h"

namespace envmon::sources::waqi {

// What every reading of one answer shares (provider_id is filled from data.idx).
using ReadingSeed = http::ReadingSeed;

// WAQI's error texts (always inside HTTP 200): "Invalid key" -> unauthorized, "Over quota" ->
// rate_limited, "Unknown station" / "no such station" / "Unknown ID" -> not_found; anything else
// is bad_payload.
http::Outcome classify_error_text(std::string_view text);

// A /feed/ body. Success needs status "ok", an object `data`, and no nested data.status "error"
// (the "Unknown ID" trap). Non-JSON bodies (proxy HTML) are transient. Pollutant iaqi values
// are US EPA sub-indices (aqi_us_pm25 ...), never concentrations. The instant comes from
// time.iso, else time.s + time.tz; time.v is not trusted (local time encoded as UTC).
http::ParseResult parse_feed(std::string_view body, const ReadingSeed& seed);

// The instant of a feed's `time` object as text pieces (exposed for tests); nullopt when
// neither time.iso nor time.s + time.tz is usable.
std::optional<Timestamp> feed_time(std::optional<std::string> iso, std::optional<std::string> s,
                                   std::optional<std::string> tz);

}  // namespace envmon::sources::waqi
