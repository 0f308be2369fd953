#include "api/query_params.h"

#include <array>
#include <charconv>

namespace envmon::api {

namespace {

constexpr std::array<std::string_view, 5> kKnown = {"station", "metric", "from", "to", "bucket"};

struct NamedBucket {
  std::string_view name;
  int64_t secs;
};
constexpr std::array<NamedBucket, 9> kNamedBuckets{{{"5m", 300},
                                                     {"15m", 900},
                                                     {"30m", 1800},
                                                     {"1h", 3600},
                                                     {"3h", 10800},
                                                     {"6h", 21600},
                                                     {"12h", 43200},
                                                     {"1d", 86400},
                                                     {"7d", 604800}}};

// Rejects unknown and repeated parameters, so a typo never silently falls back to a default.
std::optional<ApiError> check_names(const QueryParams& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& name = params[i].first;
    bool known = false;
    for (auto k : kKnown) known = known || k == name;
    if (!known) {
      return ApiError::bad_request("unknown query parameter '" + name +
                                       "'; valid parameters: " + std::string(kObservationParams),
                                   name);
    }
    for (size_t j = 0; j < i; ++j) {
      if (params[j].first == name) {
        return ApiError::bad_request("query parameter '" + name + "' is given more than once",
                                     name);
      }
    }
  }
  return std::nullopt;
}

const std::string* find(const QueryParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

ApiResult<Timestamp> parse_time(const QueryParams& params, std::string_view name,
                                Timestamp fallback) {
  const std::string* text = find(params, name);
  if (text == nullptr) return fallback;
  auto t = parse_rfc3339(*text);
  if (!t.ok()) {
    return ApiError::bad_request("'" + std::string(name) +
                                     "' must be an RFC 3339 time such as 2026-01-02T03:04:05Z: " +
                                     t.error().message(),
                                 std::string(name));
  }
  return *t;
}

std::string valid_metrics() {
  std::string out;
  for (const auto& info : metric_catalogue()) {
    if (!out.empty()) out += ", ";
    out += info.id;
  }
  return out;
}

std::optional<ApiError> parse_identity(const QueryParams& params, ObservationQuery& q) {
  const std::string* station = find(params, "station");
  if (station == nullptr || station->empty()) {
    return ApiError::bad_request("query parameter 'station' is required", "station");
  }
  q.station = *station;
  const std::string* metric = find(params, "metric");
  if (metric == nullptr || metric->empty()) {
    return ApiError::bad_request("query parameter 'metric' is required; one of: " + valid_metrics(),
                                 "metric");
  }
  auto m = parse_metric(*metric);
  if (!m) {
    return ApiError::bad_request("unknown metric '" + *metric + "'; one of: " + valid_metrics(),
                                 "metric");
  }
  q.metric = *m;
  return std::nullopt;
}

std::optional<ApiError> parse_window(const QueryParams& params, Timestamp now,
                                     const ApiConfig& config, ObservationQuery& q) {
  auto to = parse_time(params, "to", now);
  if (auto* e = std::get_if<ApiError>(&to)) return *e;
  q.to = std::get<Timestamp>(to);
  auto from = parse_time(params, "from", q.to - std::chrono::hours(24));
  if (auto* e = std::get_if<ApiError>(&from)) return *e;
  q.from = std::get<Timestamp>(from);
  if (q.from >= q.to) return ApiError::bad_request("'from' must be before 'to'", "from");
  if (q.to - q.from > std::chrono::days(config.max_range_days)) {
    return ApiError::bad_request("range from..to is longer than the limit of " +
                                     std::to_string(config.max_range_days) + " days",
                                 "from");
  }
  return std::nullopt;
}

std::optional<ApiError> parse_bucket_param(const QueryParams& params, const ApiConfig& config,
                                           ObservationQuery& q) {
  const std::string* text = find(params, "bucket");
  if (text == nullptr) return std::nullopt;
  q.bucket = parse_bucket(*text);
  if (!q.bucket) {
    return ApiError::bad_request("bucket must be one of 5m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d "
                                 "or a whole number of seconds >= 60",
                                 "bucket");
  }
  q.bucket_label = *text;
  const auto span = std::chrono::duration_cast<Seconds>(q.to - q.from);
  const int64_t points = (span.count() + q.bucket->count() - 1) / q.bucket->count();
  if (points > config.max_points) {
    return ApiError::bad_request("the query spans " + std::to_string(points) +
                                     " buckets, more than the limit of " +
                                     std::to_string(config.max_points) +
                                     "; use a larger bucket or a shorter range",
                                 "bucket");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Seconds> parse_bucket(std::string_view text) {
  for (const auto& b : kNamedBuckets) {
    if (b.name == text) return Seconds(b.secs);
  }
  int64_t secs = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), secs);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  if (secs < 60 || secs > 366LL * 86400) return std::nullopt;
  return Seconds(secs);
}

ApiResult<ObservationQuery> parse_observation_query(const QueryParams& params, Timestamp now,
                                                    const ApiConfig& config) {
  ObservationQuery q;
  if (auto e = check_names(params)) return *e;
  if (auto e = parse_identity(params, q)) return *e;
  if (auto e = parse_window(params, now, config, q)) return *e;
  if (auto e = parse_bucket_param(params, config, q)) return *e;
  return q;
}

}  // namespace envmon::api
