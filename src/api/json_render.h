#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/query_params.h"
#include "config/app_config.h"
#include "store/store.h"

namespace envmon::api {

// The JSON documents of /api/v1 (contract in src/api/README.md). Pure functions: no I/O.

// {"metrics":[{"id","unit","display_unit","kind","min","max","description"}...]}
std::string render_metric_catalogue();

struct StationSummary {
  config::StationConfig station;
  std::optional<store::Observation> aqi_us;  // newest non-masked value, if any
  std::optional<store::Observation> aqi_in;
};
// {"stations":[{"id","name","lat","lon","timezone","region","aqi_us":{..}|null,"aqi_in":{..}|null}]}
std::string render_stations(const std::vector<StationSummary>& stations);

// {"station":"delhi","measurements":[{"metric","value","unit","observed_at","source","flags"}]}
std::string render_latest(const std::string& station, const std::vector<store::Observation>& rows);

// Raw: {"station","metric","unit","from","to","bucket":null,"points":[{"t","value","flags","source"}]}
std::string render_raw_points(const ObservationQuery& q, const std::vector<store::Observation>& rows);
// Bucketed: {..., "bucket":"1h","bucket_secs":3600,"points":[{"t","mean","min","max","count"}]}
// Stations ranked by their newest hourly AQI, with the band of `metric`'s scale.
std::string render_top_aqi(Metric metric, const std::vector<store::StationAqi>& rows);
std::string render_buckets(const ObservationQuery& q, const std::vector<store::Bucket>& buckets);

}  // namespace envmon::api
