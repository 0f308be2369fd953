#include "tools/fake_providers/routes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdio>

#include "bus/bus.h"
#include "core/time.h"
#include "sources/http/provider_json.h"
#include "tools/fake_providers/control_json.h"

namespace envmon::fake_providers {
namespace {

constexpr std::string_view kOwm = "openweathermap/";
constexpr std::string_view kWaqi = "aqicn/";
constexpr std::string_view kOm = "open-meteo/";

std::string file(std::string_view dir, std::string_view name) {
  return std::string(dir) + std::string(name);
}

const std::string* param(const QueryParams& params, const std::string& key) {
  const auto it = params.find(key);
  return it == params.end() ? nullptr : &it->second;
}

// A coordinate query value within [-limit, limit], read like the providers' own numbers.
std::optional<double> parse_coordinate(std::string_view s, double limit) {
  const auto v = sources::http::json::parse_double(s);
  if (!v || *v < -limit || *v > limit) return {};
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool key_rejected(const FakeOptions& o, Provider p, const std::string* given) {
  const auto it = o.keys.find(provider_name(p));
  if (it == o.keys.end() || it->second.empty()) return false;
  return given == nullptr || *given != it->second;
}

// A fixed sample (error bodies, search/map answers) served as recorded.
Route fixed(Provider p, int status, std::string sample) {
  Route r;
  r.provider = p;
  r.status = status;
  r.sample = std::move(sample);
  return r;
}

Route constructed(Provider p, int status, std::string body) {
  Route r;
  r.provider = p;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Route data(Provider p, std::string sample, std::string key) {
  Route r;
  r.provider = p;
  r.sample = std::move(sample);
  r.data = true;
  r.station_key = std::move(key);
  return r;
}

Route data_at(Provider p, std::string sample, LatLon c) {
  Route r = data(p, std::move(sample), station_key(c));
  r.coords = c;
  return r;
}

// ---- OpenWeatherMap -------------------------------------------------------------------------

// lat/lon, then q (city), then id/zip; the recorded errors for the ways this goes wrong.
Route owm_located(const QueryParams& q, const std::string& sample) {
  constexpr Provider P = Provider::openweathermap;
  const std::string* lat = param(q, "lat");
  const std::string* lon = param(q, "lon");
  if (lat != nullptr || lon != nullptr) {
    const auto la = lat ? parse_coordinate(*lat, 90) : std::nullopt;
    if (!la) return fixed(P, 400, file(kOwm, "error_400_wrong_latitude.json"));
    const auto lo = lon ? parse_coordinate(*lon, 180) : std::nullopt;
    if (!lo) return constructed(P, 400, R"({"cod":"400","message":"wrong longitude"})");
    return data_at(P, sample, LatLon{*la, *lo});
  }
  if (const std::string* city = param(q, "q")) {
    const std::string name = lower(std::string_view(*city).substr(0, city->find(',')));
    for (const char* known : {"zocca", "london", "moscow", "paris"}) {
      if (name == known) return data(P, sample, "city:" + name);
    }
    return fixed(P, 404, file(kOwm, "error_404_city_not_found.json"));
  }
  for (const char* alt : {"id", "zip"}) {
    if (const std::string* v = param(q, alt)) return data(P, sample, std::string(alt) + ":" + *v);
  }
  return fixed(P, 400, file(kOwm, "error_400_nothing_to_geocode.json"));
}

Route route_owm(std::string_view path, const QueryParams& q, std::string_view header,
                const FakeOptions& o) {
  constexpr Provider P = Provider::openweathermap;
  const std::string* key = param(q, "appid");
  if (key == nullptr) key = param(q, "APPID");
  std::string header_key;  // built only for the rare request that sends x-api-key alone
  if (key == nullptr && !header.empty()) key = &(header_key = std::string(header));
  if (key_rejected(o, P, key) || path == "/data/2.5/onecall") {
    return fixed(P, 401, file(kOwm, "error_401_invalid_api_key.json"));
  }
  if (path == "/data/2.5/weather")
    return owm_located(q, file(kOwm, "current_zocca_standard_units.json"));
  if (path == "/data/2.5/forecast")
    return owm_located(q, file(kOwm, "forecast5d_paris_metric.json"));
  if (path == "/data/2.5/air_pollution") {
    return owm_located(q, file(kOwm, "air_pollution_current_london.json"));
  }
  if (path == "/data/2.5/air_pollution/forecast" || path == "/data/2.5/air_pollution/history") {
    return owm_located(q, file(kOwm, "air_pollution_forecast_two_hours.json"));
  }
  if (path == "/data/3.0/onecall") {
    if (!o.onecall_subscribed)
      return fixed(P, 401, file(kOwm, "error_401_onecall3_no_subscription.json"));
    return owm_located(q, file(kOwm, "onecall3_greenwich_standard_units.json"));
  }
  return constructed(P, 404, R"({"cod":"404","message":"Internal error"})");
}

// ---- WAQI -----------------------------------------------------------------------------------

Route waqi_geo(std::string_view where) {
  constexpr Provider P = Provider::waqi;
  const size_t semi = where.find(';');
  const auto lat =
      semi == std::string_view::npos ? std::nullopt : parse_coordinate(where.substr(0, semi), 90);
  const auto lon = lat ? parse_coordinate(where.substr(semi + 1), 180) : std::nullopt;
  if (!lon) return fixed(P, 200, file(kWaqi, "error_unknown_station.json"));
  Route r = data_at(P, file(kWaqi, "feed_geo_utrecht_ok.json"), LatLon{*lat, *lon});
  r.idx = std::to_string(station_idx(*r.coords));
  return r;
}

Route waqi_uid(std::string_view uid) {
  constexpr Provider P = Provider::waqi;
  int64_t id = 0;
  const auto res = std::from_chars(uid.data(), uid.data() + uid.size(), id);
  if (uid.empty() || res.ec != std::errc() || res.ptr != uid.data() + uid.size()) {
    return fixed(P, 200, file(kWaqi, "error_no_such_station.json"));
  }
  const std::string key = "@" + std::string(uid);
  switch (id) {
    case 10002:
      return data(P, file(kWaqi, "feed_station_nastola_no_time_aqi_dash.json"), key);
    case 372382:
      return data(P, file(kWaqi, "feed_station_purpleair_negative_idx.json"), key);
    case 10142:
      return data(P, file(kWaqi, "feed_station_sydney_dominentpol_neph.json"), key);
    case 123946:
      return fixed(P, 200, file(kWaqi, "error_nested_unknown_id_status_ok.json"));
    default:
      break;
  }
  Route r = data(P, file(kWaqi, "feed_geo_utrecht_ok.json"), key);
  r.idx = std::string(uid);
  return r;
}

Route waqi_feed(std::string_view what) {
  constexpr Provider P = Provider::waqi;
  if (what.starts_with("geo:")) return waqi_geo(what.substr(4));
  if (what.starts_with("@")) return waqi_uid(what.substr(1));
  if (what == "here") return data(P, file(kWaqi, "feed_here_amsterdam_ok.json"), "here");
  const std::string city = lower(what);
  if (city == "utrecht")
    return data(P, file(kWaqi, "feed_city_utrecht_ok_forecast.json"), "city:" + city);
  if (city == "klundert")
    return data(P, file(kWaqi, "feed_city_klundert_aqi_dash.json"), "city:" + city);
  if (city == "olivais")
    return data(P, file(kWaqi, "feed_city_olivais_dominentpol_empty.json"), "city:" + city);
  return fixed(P, 200, file(kWaqi, "error_unknown_station.json"));
}

Route route_waqi(std::string_view path, const QueryParams& q, const FakeOptions& o) {
  constexpr Provider P = Provider::waqi;
  if (key_rejected(o, P, param(q, "token")))
    return fixed(P, 200, file(kWaqi, "error_invalid_key.json"));
  while (path.size() > 1 && path.back() == '/')
    path.remove_suffix(1);
  if (path.starts_with("/feed/")) return waqi_feed(path.substr(6));
  if (path == "/search") {
    const std::string* kw = param(q, "keyword");
    if (kw != nullptr && lower(*kw).find("klundert") != std::string::npos) {
      return fixed(P, 200, file(kWaqi, "search_klundert_ok_aqi_string.json"));
    }
    return fixed(P, 200, file(kWaqi, "search_empty.json"));
  }
  if (path == "/map/bounds" || path == "/v2/map/bounds") {
    return fixed(P, 200, file(kWaqi, "map_bounds_vancouver_ok.json"));
  }
  return constructed(P, 200, R"({"status":"error","data":"Unknown API"})");
}

// ---- Open-Meteo -----------------------------------------------------------------------------

Route om_located(const QueryParams& q, std::string sample) {
  constexpr Provider P = Provider::openmeteo;
  const std::string* lat = param(q, "latitude");
  const std::string* lon = param(q, "longitude");
  if (lat != nullptr && lat->find(',') != std::string::npos) {
    return fixed(P, 200, file(kOm, "forecast_multi_location_array_server_test.json"));
  }
  const auto la = lat ? parse_coordinate(*lat, 90) : std::nullopt;
  if (!la) return fixed(P, 400, file(kOm, "error_400_latitude_out_of_range_constructed.json"));
  const auto lo = lon ? parse_coordinate(*lon, 180) : std::nullopt;
  if (!lo) {
    std::string body = R"({"error":true,"reason":)";
    append_json_string(body, "Longitude must be in range of -180 to 180°. Given: " +
                                 (lon ? *lon : std::string("nan")) + ".");
    return constructed(P, 400, body + "}");
  }
  return data_at(P, std::move(sample), LatLon{*la, *lo});
}

Route om_archive(const QueryParams& q) {
  constexpr Provider P = Provider::openmeteo;
  const std::string* start = param(q, "start_date");
  const std::string* end = param(q, "end_date");
  if (start == nullptr || end == nullptr) {
    return constructed(
        P, 400,
        R"({"error":true,"reason":"Both 'start_date' and 'end_date' must be set in the url"})");
  }
  const auto s = parse_date(*start);
  const auto e = parse_date(*end);
  if (!s || !e) {
    return constructed(
        P, 400, R"({"error":true,"reason":"Invalid date format. Make sure to use 'YYYY-MM-DD'"})");
  }
  if (*e < *s) {
    return constructed(
        P, 400, R"({"error":true,"reason":"End-date must be larger or equals than start-date"})");
  }
  const bool daily_only = param(q, "hourly") == nullptr && param(q, "daily") != nullptr;
  Route r = om_located(q, file(kOm, daily_only ? "archive_daily_tmax_brasilia.json"
                                               : "archive_hourly_temperature_brasilia.json"));
  if (r.data) r.start_day_secs = to_unix_ms(*s) / 1000;
  return r;
}

Route route_openmeteo(std::string_view path, const QueryParams& q, const FakeOptions& o) {
  constexpr Provider P = Provider::openmeteo;
  if (key_rejected(o, P, param(q, "apikey"))) {
    return constructed(P, 400, R"({"error":true,"reason":"The supplied API key is invalid."})");
  }
  if (path == "/v1/forecast") {
    const std::string* cw = param(q, "current_weather");
    const std::string* unit = param(q, "temperature_unit");
    const char* name = "forecast_current_block_berlin_handwritten.json";
    if (param(q, "current") == nullptr && cw != nullptr && *cw == "true") {
      name = unit != nullptr && *unit == "fahrenheit"
                 ? "forecast_current_weather_legacy_imperial_darwin.json"
                 : "forecast_current_weather_legacy_metric_darwin.json";
    } else if (param(q, "current") == nullptr && param(q, "hourly") != nullptr) {
      name = "forecast_hourly_temperature_brasilia.json";
    } else if (param(q, "current") == nullptr && param(q, "daily") != nullptr) {
      name = "forecast_daily_all_null_open_ocean.json";
    }
    return om_located(q, file(kOm, name));
  }
  if (path == "/v1/air-quality") {
    return om_located(
        q, file(kOm, param(q, "current") != nullptr ? "air_quality_current_uv_ozone_berlin.json"
                                                    : "air_quality_hourly_co_beijing.json"));
  }
  if (path == "/v1/archive") return om_archive(q);
  return constructed(P, 404, R"({"error":true,"reason":"Not Found"})");
}

}  // namespace

std::string station_key(LatLon c) {
  std::string out;
  // A value that rounds to zero prints as "-0.0000"; without the sign one station has one key.
  const auto append = [&out](double v) {
    char buf[32];
    std::string_view text(buf, static_cast<size_t>(std::snprintf(buf, sizeof buf, "%.4f", v)));
    if (text == "-0.0000") text.remove_prefix(1);
    out.append(text);
  };
  append(c.lat);
  out += ',';
  append(c.lon);
  return out;
}

int64_t station_idx(LatLon c) {
  // The bus's stable FNV-1a partitioner over the station key: deterministic across runs and
  // platforms, in [1, 2^31 - 2] like a WAQI uid.
  return int64_t{bus::partition_for(station_key(c), INT32_MAX - 1)} + 1;
}

Route route_request(std::string_view path, const QueryParams& params, std::string_view header,
                    const FakeOptions& options) {
  if (path.starts_with("/data/")) return route_owm(path, params, header, options);
  if (path.starts_with("/v1/")) return route_openmeteo(path, params, options);
  if (path.starts_with("/feed/") || path.starts_with("/search") || path.starts_with("/map/") ||
      path.starts_with("/v2/map/")) {
    return route_waqi(path, params, options);
  }
  return Route{};
}

Route rate_limited_route(Provider p) {
  switch (p) {
    case Provider::openweathermap:
      return fixed(p, 429, file(kOwm, "error_429_account_blocked.json"));
    case Provider::waqi:
      return fixed(p, 200, file(kWaqi, "error_over_quota.json"));
    case Provider::openmeteo:
      return fixed(p, 429, file(kOm, "error_429_minutely_limit_constructed.json"));
    case Provider::unknown:
      break;
  }
  return Route{};
}

std::string_view provider_name(Provider p) {
  switch (p) {
    case Provider::openweathermap:
      return "openweathermap";
    case Provider::waqi:
      return "waqi";
    case Provider::openmeteo:
      return "openmeteo";
    case Provider::unknown:
      break;
  }
  return "unknown";
}

Provider provider_from_name(std::string_view name) {
  for (const Provider p : kAllProviders) {
    if (provider_name(p) == name) return p;
  }
  return Provider::unknown;
}

}  // namespace envmon::fake_providers
