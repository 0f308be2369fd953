#include "sources/openmeteo/openmeteo_archive.h"

#include <algorithm>
#include <cstdio>

#include "net/url.h"
#include "sources/openmeteo/openmeteo_parse.h"
#include "sources/openmeteo/openmeteo_provider.h"

namespace envmon::sources::openmeteo {

namespace {
using std::chrono::days;
using std::chrono::sys_days;
}  // namespace

std::string format_iso_date(Date d) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return std::string(buf.data());
}

std::optional<Date> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lens[3] = {4, 2, 2};
  for (size_t p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lens[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  }
  const Date d{std::chrono::year(parts[0]), std::chrono::month(static_cast<unsigned>(parts[1])),
               std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!d.ok()) return std::nullopt;
  return d;
}

Date utc_date(Timestamp t) {
  return Date(std::chrono::floor<days>(t));
}

std::vector<std::pair<Date, Date>> archive_chunks(Date from, Date to, int64_t chunk_days) {
  std::vector<std::pair<Date, Date>> out;
  const int64_t step = std::max<int64_t>(1, chunk_days);
  const sys_days last{to};
  for (sys_days start{from}; start <= last;) {
    const sys_days end = std::min(last, start + days(step - 1));
    out.emplace_back(Date(start), Date(end));
    start = end + days(1);
  }
  return out;
}

ArchiveClamp clamp_archive_end(Date to, Date today) {
  const sys_days latest = sys_days{today} - days(kArchiveLagDays);
  if (sys_days{to} <= latest) return {to, ""};
  return {Date(latest), "archive end date " + format_iso_date(to) + " moved to " +
                            format_iso_date(Date(latest)) + ": the Open-Meteo archive lags about " +
                            std::to_string(kArchiveLagDays) + " days behind today (" +
                            format_iso_date(today) + ")"};
}

int64_t OpenMeteoArchiveProvider::days() const {
  const auto span = (sys_days{to_} - sys_days{from_}).count() + 1;
  return std::max<int64_t>(0, span);
}

std::vector<http::FetchTask> OpenMeteoArchiveProvider::tasks(
    const std::vector<config::StationConfig>& stations) const {
  std::vector<http::FetchTask> out;
  if (days() == 0) return out;
  for (size_t i = 0; i < stations.size(); ++i) {
    http::FetchTask t;
    t.station_index = i;
    t.endpoint = "archive";
    t.min_interval = Seconds(86400);  // a backfill range is fetched once; the archive is daily
    t.weight = call_weight(kWeatherVariables.size(), days());
    out.push_back(std::move(t));
  }
  return out;
}

net::HttpRequest OpenMeteoArchiveProvider::build(const http::FetchTask& /*task*/,
                                                 const config::StationConfig& station) const {
  return make_get(
      config_.archive_base_url + "/v1/archive?latitude=" + net::format_coordinate(station.lat) +
          "&longitude=" + net::format_coordinate(station.lon) +
          "&start_date=" + format_iso_date(from_) + "&end_date=" + format_iso_date(to_) +
          "&hourly=" + join_variables(kWeatherVariables) + "&wind_speed_unit=ms&timezone=GMT",
      config_.api_key);
}

http::ParseResult OpenMeteoArchiveProvider::parse(const http::FetchTask& /*task*/,
                                                  const config::StationConfig& station,
                                                  const net::HttpResponse& response,
                                                  Timestamp now) const {
  return parse_openmeteo_response(station, response, ParseOptions{now, false});
}

std::unique_ptr<http::Provider> make_openmeteo_archive_provider(const OpenMeteoConfig& config,
                                                                Date from, Date to) {
  return std::make_unique<OpenMeteoArchiveProvider>(config, from, to);
}

}  // namespace envmon::sources::openmeteo
