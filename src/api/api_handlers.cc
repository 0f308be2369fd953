#include "api/api_handlers.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "api/json_render.h"

namespace envmon::api {

namespace {

// The newest usable value of `metric` among a station's latest rows (several sources may report).
std::optional<store::Observation> newest(const std::vector<store::Observation>& rows, Metric metric) {
  const store::Observation* best = nullptr;
  for (const auto& r : rows) {
    if (r.metric != metric || !std::isfinite(r.value)) continue;
    if (best == nullptr || r.observed_at > best->observed_at) best = &r;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace

HttpResult error_result(const ApiError& error) { return {error.status, render_error(error)}; }

ApiHandlers::ApiHandlers(const ApiConfig& config, store::Store& store, const Clock& clock, Logger log)
    : config_(config),
      store_(store),
      clock_(clock),
      log_(std::move(log)),
      catalogue_(render_metric_catalogue()) {}

HttpResult ApiHandlers::store_failure(std::string_view what, const Error& error) const {
  log_.error("store query failed", {{"query", what}, {"error", error.to_string()}});
  return error_result(ApiError::internal());
}

ApiResult<bool> ApiHandlers::station_exists(const std::string& id) {
  auto stations = store_.stations();
  if (!stations.ok()) {
    log_.error("store query failed", {{"query", "stations"}, {"error", stations.error().to_string()}});
    return ApiError::internal();
  }
  return std::any_of(stations->begin(), stations->end(),
                     [&](const config::StationConfig& s) { return s.id == id; });
}

HttpResult ApiHandlers::stations() {
  auto stations = store_.stations();
  if (!stations.ok()) return store_failure("stations", stations.error());
  std::vector<StationSummary> out;
  out.reserve(stations->size());
  for (auto& s : *stations) {
    auto rows = store_.latest(s.id);
    if (!rows.ok()) return store_failure("latest", rows.error());
    StationSummary summary{std::move(s), newest(*rows, Metric::aqi_us), newest(*rows, Metric::aqi_in)};
    out.push_back(std::move(summary));
  }
  return {200, render_stations(out)};
}

HttpResult ApiHandlers::latest(const std::string& station) {
  auto rows = store_.latest(station);
  if (!rows.ok()) return store_failure("latest", rows.error());
  if (rows->empty()) {  // either a station without data yet or an unknown one
    auto exists = station_exists(station);
    if (auto* e = std::get_if<ApiError>(&exists)) return error_result(*e);
    if (!std::get<bool>(exists)) {
      return error_result(ApiError::not_found("unknown station '" + station + "'", "station"));
    }
  }
  std::sort(rows->begin(), rows->end(), [](const store::Observation& a, const store::Observation& b) {
    if (a.metric != b.metric) return metric_index(a.metric) < metric_index(b.metric);
    return a.source < b.source;
  });
  return {200, render_latest(station, *rows)};
}

HttpResult ApiHandlers::observations(const QueryParams& params) {
  auto parsed = parse_observation_query(params, clock_.now(), config_);
  if (auto* e = std::get_if<ApiError>(&parsed)) return error_result(*e);
  const auto& q = std::get<ObservationQuery>(parsed);
  auto exists = station_exists(q.station);
  if (auto* e = std::get_if<ApiError>(&exists)) return error_result(*e);
  if (!std::get<bool>(exists)) {
    return error_result(ApiError::not_found("unknown station '" + q.station + "'", "station"));
  }
  if (q.bucket) {
    auto buckets = store_.buckets(q.station, q.metric, q.from, q.to, *q.bucket);
    if (!buckets.ok()) return store_failure("buckets", buckets.error());
    return {200, render_buckets(q, *buckets)};
  }
  const auto limit = static_cast<size_t>(config_.max_points);
  auto rows = store_.range(q.station, q.metric, q.from, q.to, limit + 1);
  if (!rows.ok()) return store_failure("range", rows.error());
  if (rows->size() > limit) {
    return error_result(ApiError::bad_request(
        "more than " + std::to_string(limit) +
            " points in this range; add a bucket (for example bucket=1h) or shorten the range",
        "bucket"));
  }
  return {200, render_raw_points(q, *rows)};
}

HttpResult ApiHandlers::top_aqi(const QueryParams& params) {
  Metric metric = Metric::aqi_us;
  int64_t limit = 10;
  for (const auto& [key, value] : params) {
    if (key == "metric") {
      const auto m = parse_metric(value);
      if (!m || (*m != Metric::aqi_us && *m != Metric::aqi_in)) {
        return error_result(ApiError::bad_request("metric must be aqi_us or aqi_in", "metric"));
      }
      metric = *m;
    } else if (key == "limit") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || end != value.data() + value.size() || limit < 1 || limit > 100) {
        return error_result(ApiError::bad_request("limit must be an integer in 1..100", "limit"));
      }
    } else {
      return error_result(ApiError::bad_request("unknown parameter '" + key + "'", key));
    }
  }
  auto rows = store_.top_stations_by_aqi(metric, static_cast<size_t>(limit));
  if (!rows.ok()) return store_failure("top_aqi", rows.error());
  return {200, render_top_aqi(metric, *rows)};
}

}  // namespace envmon::api
