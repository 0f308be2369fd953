#include "sources/openmeteo/openmeteo_provider.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "net/url.h"
#include "sources/openmeteo/openmeteo_parse.h"

namespace envmon::sources::openmeteo {

double call_weight(size_t n_variables, int64_t days) {
  const double vars = static_cast<double>(n_variables) / 10.0;
  const double span = std::max(1.0, static_cast<double>(days) / 14.0);
  return std::max(1.0, vars * span);
}

namespace {

std::string location_query(const config::StationConfig& station) {
  return "latitude=" + net::format_coordinate(station.lat) +
         "&longitude=" + net::format_coordinate(station.lon);
}

}  // namespace

net::HttpRequest make_get(const std::string& url, const std::string& api_key) {
  return net::make_get(url, "apikey", api_key);
}

std::vector<http::FetchTask> OpenMeteoProvider::tasks(
    const std::vector<config::StationConfig>& stations) const {
  std::vector<http::FetchTask> out;
  for (size_t i = 0; i < stations.size(); ++i) {
    for (const Endpoint e : config_.endpoint_list) {
      http::FetchTask t;
      t.station_index = i;
      t.endpoint = std::string(endpoint_name(e));
      t.min_interval = e == Endpoint::forecast ? kForecastMinInterval : kAirQualityMinInterval;
      // `current=` asks for one instant: a one-day span for the weight formula.
      t.weight = call_weight(
          e == Endpoint::forecast ? kWeatherVariables.size() : kAirQualityVariables.size(), 1);
      out.push_back(std::move(t));
    }
  }
  return out;
}

net::HttpRequest OpenMeteoProvider::build(const http::FetchTask& task,
                                          const config::StationConfig& station) const {
  // timezone=GMT keeps times in UTC; the parser still honours utc_offset_seconds for mirrors.
  if (task.endpoint == endpoint_name(Endpoint::air_quality)) {
    return make_get(config_.air_quality_base_url + "/v1/air-quality?" + location_query(station) +
                        "&current=" + join_variables(kAirQualityVariables) + "&timezone=GMT",
                    config_.api_key);
  }
  return make_get(config_.forecast_base_url + "/v1/forecast?" + location_query(station) +
                      "&current=" + join_variables(kWeatherVariables) +
                      "&wind_speed_unit=ms&timezone=GMT",
                  config_.api_key);
}

http::ParseResult OpenMeteoProvider::parse(const http::FetchTask& /*task*/,
                                           const config::StationConfig& station,
                                           const net::HttpResponse& response, Timestamp now) const {
  return parse_openmeteo_response(station, response, ParseOptions{now, true});
}

}  // namespace envmon::sources::openmeteo
