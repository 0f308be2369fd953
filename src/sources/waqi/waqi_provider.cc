#include "sources/waqi/waqi_provider.h"

#include <cstdlib>
#include <utility>

#include "net/url.h"
#include "sources/waqi/waqi_parse.h"

namespace envmon::sources::waqi {

namespace {

constexpr std::string_view kFeed = "feed";

// WAQI answers 200 even for its own errors; other statuses come from what stands in front.
http::ParseResult classify_status(int status) {
  const std::string message = "HTTP " + std::to_string(status);
  if (status == 401 || status == 403)
    return http::outcome_result(http::Outcome::unauthorized, message);
  if (status == 404) return http::outcome_result(http::Outcome::not_found, message);
  if (status == 429) return http::outcome_result(http::Outcome::rate_limited, message);
  return http::outcome_result(http::Outcome::transient, message);
}

bool is_html(std::string_view content_type) {
  return http::ascii_lower(content_type).find("html") != std::string::npos;
}

}  // namespace

WaqiProvider::WaqiProvider(WaqiConfig config, std::string token, std::string source_id)
    : config_(std::move(config)), token_(std::move(token)), source_id_(std::move(source_id)) {}

std::vector<http::FetchTask> WaqiProvider::tasks(
    const std::vector<config::StationConfig>& stations) const {
  std::vector<http::FetchTask> out;
  for (size_t i = 0; i < stations.size(); ++i) {
    http::FetchTask t;
    t.station_index = i;
    t.endpoint = std::string(kFeed);
    t.min_interval = Seconds(0);  // hourly stations: refresh_floor_secs (default 1800) applies
    out.push_back(std::move(t));
  }
  return out;
}

net::HttpRequest WaqiProvider::request(const std::string& path_and_query) const {
  return net::make_get(config_.base_url + path_and_query, "token", token_);
}

net::HttpRequest WaqiProvider::build(const http::FetchTask&,
                                     const config::StationConfig& station) const {
  // A configured uid wins; crowd sensors answer with a negative idx but are asked by abs(uid).
  if (const auto it = config_.uid_by_station.find(station.id); it != config_.uid_by_station.end()) {
    return request("/feed/@" + std::to_string(std::llabs(it->second)) + "/");
  }
  if (config_.query == Query::city) return request("/feed/" + net::url_encode(station.name) + "/");
  return request("/feed/geo:" + net::format_coordinate(station.lat) + ";" +
                 net::format_coordinate(station.lon) + "/");
}

net::HttpRequest WaqiProvider::search_request(std::string_view keyword) const {
  return request("/search/?keyword=" + net::url_encode(keyword));
}

net::HttpRequest WaqiProvider::map_bounds_request(double lat1, double lon1, double lat2,
                                                  double lon2) const {
  return request("/map/bounds/?latlng=" + net::format_coordinate(lat1) + "," +
                 net::format_coordinate(lon1) + "," + net::format_coordinate(lat2) + "," +
                 net::format_coordinate(lon2));
}

http::ParseResult WaqiProvider::parse(const http::FetchTask&, const config::StationConfig& station,
                                      const net::HttpResponse& response, Timestamp now) const {
  if (auto failed = http::transport_failure(response)) return std::move(*failed);
  if (response.status != 200) return classify_status(response.status);
  if (is_html(response.content_type)) {
    return http::outcome_result(http::Outcome::transient,
                                "HTML answer (proxy or CDN page), not WAQI JSON");
  }
  return parse_feed(response.body, http::make_seed(source_id_, station, now));
}

}  // namespace envmon::sources::waqi
