#include "model/metric.h"

namespace envmon {
namespace {

// Bounds are what the atmosphere can physically produce (and sensors can report), not what is
// typical: the cleaner masks values outside them; typical-range checks are its outlier stage.
constexpr std::array<MetricInfo, kMetricCount> kCatalogue{{
    {Metric::temperature, "temperature", "degC", "°C", MetricKind::weather, -90.0, 60.0, 0,
     "Air temperature at 2 m"},
    {Metric::humidity, "humidity", "%", "%", MetricKind::weather, 0.0, 100.0, 0,
     "Relative humidity at 2 m"},
    {Metric::pressure, "pressure", "hPa", "hPa", MetricKind::weather, 850.0, 1090.0, 0,
     "Air pressure reduced to mean sea level"},
    {Metric::wind_speed, "wind_speed", "m/s", "m/s", MetricKind::weather, 0.0, 115.0, 0,
     "Wind speed at 10 m"},
    {Metric::wind_direction, "wind_direction", "deg", "°", MetricKind::weather, 0.0, 360.0, 0,
     "Direction the wind blows from, clockwise from north"},
    {Metric::precipitation, "precipitation", "mm", "mm", MetricKind::weather, 0.0, 400.0, 0,
     "Precipitation accumulated over the reading's interval"},
    {Metric::cloud_cover, "cloud_cover", "%", "%", MetricKind::weather, 0.0, 100.0, 0,
     "Total cloud cover"},
    {Metric::pm25, "pm25", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 2000.0, 0,
     "Fine particulate matter (diameter < 2.5 µm)"},
    {Metric::pm10, "pm10", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 5000.0, 0,
     "Particulate matter (diameter < 10 µm)"},
    {Metric::o3, "o3", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 1500.0, 48.00, "Ozone"},
    {Metric::no2, "no2", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 4000.0, 46.01,
     "Nitrogen dioxide"},
    {Metric::so2, "so2", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 6000.0, 64.07,
     "Sulphur dioxide"},
    {Metric::co, "co", "ug/m3", "µg/m³", MetricKind::pollutant, 0.0, 150000.0, 28.01,
     "Carbon monoxide"},
    {Metric::aqi_us, "aqi_us", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA Air Quality Index (2024 breakpoints, NowCast for PM)"},
    {Metric::aqi_in, "aqi_in", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "India National Air Quality Index (CPCB 2014)"},
    {Metric::aqi_us_pm25, "aqi_us_pm25", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of PM2.5 as reported by the provider (not a concentration)"},
    {Metric::aqi_us_pm10, "aqi_us_pm10", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of PM10 as reported by the provider (not a concentration)"},
    {Metric::aqi_us_o3, "aqi_us_o3", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of ozone as reported by the provider (not a concentration)"},
    {Metric::aqi_us_no2, "aqi_us_no2", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of NO2 as reported by the provider (not a concentration)"},
    {Metric::aqi_us_so2, "aqi_us_so2", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of SO2 as reported by the provider (not a concentration)"},
    {Metric::aqi_us_co, "aqi_us_co", "aqi", "AQI", MetricKind::index, 0.0, 999.0, 0,
     "US EPA sub-index of CO as reported by the provider (not a concentration)"},
}};

}  // namespace

const std::array<MetricInfo, kMetricCount>& metric_catalogue() { return kCatalogue; }

const MetricInfo& metric_info(Metric m) { return kCatalogue[static_cast<size_t>(m)]; }

std::optional<Metric> parse_metric(std::string_view id) {
  for (const auto& info : kCatalogue) {
    if (info.id == id) return info.metric;
  }
  return std::nullopt;
}

}  // namespace envmon
