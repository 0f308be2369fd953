#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sources/http/provider.h"
#include "sources/openmeteo/openmeteo_config.h"

namespace envmon::sources::openmeteo {

// Variables asked for; the response echoes them back under these names.
inline constexpr std::array<std::string_view, 7> kWeatherVariables{
    "temperature_2m",     "relative_humidity_2m", "pressure_msl", "wind_speed_10m",
    "wind_direction_10m", "precipitation",        "cloud_cover"};
inline constexpr std::array<std::string_view, 6> kAirQualityVariables{
    "pm10", "pm2_5", "carbon_monoxide", "nitrogen_dioxide", "sulphur_dioxide", "ozone"};

// Cadence of the data behind each endpoint: polling faster only burns quota.
// Current weather's 15-minute step is refresh_floor_secs (default 900); endpoints slower than the
// provider's base refresh carry their own floor.
inline constexpr Seconds kForecastMinInterval{0};
inline constexpr Seconds kAirQualityMinInterval{3600};  // CAMS air quality is hourly

// Open-Meteo counts a call as max(1, variables/10 x max(1, days/14)) calls (sources.md 3.8).
double call_weight(size_t n_variables, int64_t days);

// "a,b,c" for a query parameter (Open-Meteo accepts comma lists).
template <size_t N>
std::string join_variables(const std::array<std::string_view, N>& vars) {
  std::string out;
  for (const auto v : vars) {
    if (!out.empty()) out += ',';
    out += v;
  }
  return out;
}

// A GET of `url`; a non-empty key is appended as &apikey= (percent-encoded), and shown as
// apikey=REDACTED in redacted_url, the only form that is ever logged.
net::HttpRequest make_get(const std::string& url, const std::string& api_key);

// Live polling of the forecast (`current=` weather) and air-quality (`current=` pollutants)
// APIs: one task per station and configured endpoint.
class OpenMeteoProvider : public http::Provider {
 public:
  explicit OpenMeteoProvider(OpenMeteoConfig config) : config_(std::move(config)) {}

  std::string_view name() const override { return "openmeteo"; }
  std::vector<http::FetchTask> tasks(
      const std::vector<config::StationConfig>& stations) const override;
  net::HttpRequest build(const http::FetchTask& task,
                         const config::StationConfig& station) const override;
  http::ParseResult parse(const http::FetchTask& task, const config::StationConfig& station,
                          const net::HttpResponse& response, Timestamp now) const override;

  const OpenMeteoConfig& config() const { return config_; }

 private:
  OpenMeteoConfig config_;
};

}  // namespace envmon::sources::openmeteo
