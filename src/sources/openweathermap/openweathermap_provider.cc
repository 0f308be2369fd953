#include "sources/openweathermap/openweathermap_provider.h"

#include <utility>

#include "net/url.h"
#include "sources/openweathermap/openweathermap_parse.h"

namespace envmon::sources::owm {

namespace {

constexpr std::string_view kOnecallGroup = "onecall";

std::string_view endpoint_path(Endpoint e) {
  switch (e) {
    case Endpoint::weather:
      return "/data/2.5/weather";
    case Endpoint::air_pollution:
      return "/data/2.5/air_pollution";
    case Endpoint::air_pollution_forecast:
      return "/data/2.5/air_pollution/forecast";
    case Endpoint::onecall:
      return "/data/3.0/onecall";
  }
  return "/data/2.5/weather";
}

}  // namespace

Seconds endpoint_min_interval(Endpoint e) {
  switch (e) {
    case Endpoint::weather:
    case Endpoint::onecall:
      return Seconds(0);  // the model's 10-minute refresh is refresh_floor_secs (default 600)
    case Endpoint::air_pollution:
    case Endpoint::air_pollution_forecast:
      return Seconds(3600);  // hourly data
  }
  return Seconds(600);
}

OpenWeatherMapProvider::OpenWeatherMapProvider(OpenWeatherMapConfig config, std::string api_key,
                                               std::string source_id)
    : config_(std::move(config)), api_key_(std::move(api_key)), source_id_(std::move(source_id)) {
  if (config_.endpoint_kinds.empty()) {
    config_.endpoint_kinds = {Endpoint::weather, Endpoint::air_pollution};
  }
}

std::vector<http::QuotaSpec> OpenWeatherMapProvider::group_quotas() const {
  for (const Endpoint e : config_.endpoint_kinds) {
    if (e == Endpoint::onecall) {
      return {{std::string(kOnecallGroup), http::QuotaWindow::day, config_.onecall_limit_per_day}};
    }
  }
  return {};
}

std::vector<http::FetchTask> OpenWeatherMapProvider::tasks(
    const std::vector<config::StationConfig>& stations) const {
  std::vector<http::FetchTask> out;
  for (size_t i = 0; i < stations.size(); ++i) {
    for (const Endpoint e : config_.endpoint_kinds) {
      http::FetchTask t;
      t.station_index = i;
      t.endpoint = std::string(endpoint_name(e));
      t.min_interval = endpoint_min_interval(e);
      if (e == Endpoint::onecall) t.quota_group = std::string(kOnecallGroup);
      out.push_back(std::move(t));
    }
  }
  return out;
}

net::HttpRequest OpenWeatherMapProvider::build(const http::FetchTask& task,
                                               const config::StationConfig& station) const {
  const Endpoint e = parse_endpoint(task.endpoint).value_or(Endpoint::weather);
  std::string base = config_.base_url + std::string(endpoint_path(e)) +
                     "?lat=" + net::format_coordinate(station.lat) +
                     "&lon=" + net::format_coordinate(station.lon);
  // One Call: only the `current` block is read, so the rest is not downloaded.
  if (e == Endpoint::onecall) base += "&exclude=minutely,hourly,daily,alerts";
  return net::make_get(base, "appid", api_key_);
}

http::ParseResult OpenWeatherMapProvider::parse(const http::FetchTask& task,
                                                const config::StationConfig& station,
                                                const net::HttpResponse& response,
                                                Timestamp now) const {
  if (auto failed = http::transport_failure(response)) return std::move(*failed);
  if (response.status != 200) return classify_error(response.status, response.body);
  const auto e = parse_endpoint(task.endpoint);
  if (!e) {
    http::ParseResult out = http::outcome_result(http::Outcome::bad_payload, "");
    http::add_reject(out, "unknown openweathermap endpoint '" + task.endpoint + "'",
                     Errc::internal);
    return out;
  }
  return parse_success(*e, response.body, http::make_seed(source_id_, station, now));
}

}  // namespace envmon::sources::owm
