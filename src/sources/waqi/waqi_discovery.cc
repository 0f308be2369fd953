#include "sources/waqi/waqi_discovery.h"

#include "sources/http/provider.h"
#include "sources/http/provider_json.h"
#include "sources/waqi/waqi_parse.h"

namespace envmon::sources::waqi {

namespace json = http::json;

namespace {

using json::Element;
using json::Number;

Errc errc_of(http::Outcome o) {
  switch (o) {
    case http::Outcome::unauthorized:
      return Errc::source_auth;
    case http::Outcome::rate_limited:
      return Errc::source_rate_limited;
    case http::Outcome::not_found:
      return Errc::source_not_found;
    default:
      return Errc::source_payload;
  }
}

// Search and map `aqi` is a string ("27", "-"); a number is accepted too.
std::string aqi_text(Element item) {
  const auto e = json::child(item, "aqi");
  if (!e) return "-";
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  const Number n = json::number(*e);
  return n.state == Number::State::value ? std::to_string(static_cast<int64_t>(n.value)) : "-";
}

std::optional<double> geo_at(Element parent, size_t index) {
  simdjson::dom::array geo;
  const auto e = json::child(parent, "geo");
  if (!e || e->get_array().get(geo) != simdjson::SUCCESS || geo.size() <= index)
    return std::nullopt;
  Element v;
  if (geo.at(index).get(v) != simdjson::SUCCESS) return std::nullopt;
  const Number n = json::number(v);
  if (n.state != Number::State::value) return std::nullopt;
  return n.value;
}

std::optional<StationHit> search_hit(Element item) {
  const Number uid = json::number_at(item, "uid");
  if (uid.state != Number::State::value) return std::nullopt;
  StationHit hit;
  hit.uid = static_cast<int64_t>(uid.value);
  hit.aqi = aqi_text(item);
  if (const auto station = json::child(item, "station")) {
    hit.name = json::string_at(*station, "name").value_or("");
    hit.url = json::string_at(*station, "url").value_or("");
    hit.lat = geo_at(*station, 0).value_or(0);
    hit.lon = geo_at(*station, 1).value_or(0);
  }
  if (const auto time = json::child(item, "time")) {
    const Number v = json::number_at(*time, "vtime");
    if (v.state == Number::State::value && v.value > 0) {
      hit.time = Timestamp(Seconds(static_cast<int64_t>(v.value)));
    }
  }
  return hit;
}

std::optional<StationHit> map_hit(Element item) {
  const Number uid = json::number_at(item, "uid");
  if (uid.state != Number::State::value) return std::nullopt;
  StationHit hit;
  hit.uid = static_cast<int64_t>(uid.value);
  hit.aqi = aqi_text(item);
  hit.lat = json::number_at(item, "lat").value;
  hit.lon = json::number_at(item, "lon").value;
  if (const auto station = json::child(item, "station")) {
    hit.name = json::string_at(*station, "name").value_or("");
    // ISO in the server's +09:00 zone: converted to UTC here, never shown as local time.
    if (const auto t = json::string_at(*station, "time")) {
      if (auto ts = parse_rfc3339(*t); ts.ok()) hit.time = *ts;
    }
  }
  return hit;
}

template <typename HitFn>
Result<std::vector<StationHit>> parse_list(std::string_view body, std::string_view what,
                                           HitFn hit_of) {
  simdjson::dom::parser parser;
  Element root;
  if (const auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS) {
    return Error(Errc::source_payload,
                 std::string(what) + ": body is not JSON: " + simdjson::error_message(err),
                 Retryable::yes);
  }
  const auto status = json::string_at(root, "status").value_or("");
  if (status != "ok") {
    const std::string text = json::string_at(root, "data").value_or("status '" + status + "'");
    return Error(errc_of(classify_error_text(text)), std::string(what) + ": " + text);
  }
  simdjson::dom::array data;
  const auto d = json::child(root, "data");
  if (!d || d->get_array().get(data) != simdjson::SUCCESS) {
    return Error(Errc::source_payload, std::string(what) + ": data is not an array");
  }
  std::vector<StationHit> out;
  for (const auto item : data) {
    if (auto hit = hit_of(item)) out.push_back(std::move(*hit));
  }
  return out;
}

}  // namespace

Result<std::vector<StationHit>> parse_search(std::string_view body) {
  return parse_list(body, "waqi search", search_hit);
}

Result<std::vector<StationHit>> parse_map_bounds(std::string_view body) {
  return parse_list(body, "waqi map/bounds", map_hit);
}

}  // namespace envmon::sources::waqi
