#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api_config.h"
#include "api/api_error.h"
#include "core/time.h"
#include "model/metric.h"

namespace envmon::api {

// Decoded query parameters in request order (duplicates kept so they can be rejected).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A validated GET /api/v1/observations request. The station's existence is checked against the
// store by the handler; everything checkable without I/O is checked here.
struct ObservationQuery {
  std::string station;
  Metric metric = Metric::temperature;
  Timestamp from{};
  Timestamp to{};
  std::optional<Seconds> bucket;  // nullopt: raw points
  std::string bucket_label;       // as the client spelled it ("1h", "900")
};

inline constexpr std::string_view kObservationParams = "station, metric, from, to, bucket";

// Defaults: to = now, from = to - 24h. Errors name the parameter at fault.
ApiResult<ObservationQuery> parse_observation_query(const QueryParams& params, Timestamp now,
                                                    const ApiConfig& config);

// 5m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d or a whole number of seconds >= 60.
std::optional<Seconds> parse_bucket(std::string_view text);

}  // namespace envmon::api
