// GET /api/v1/anomalies and GET /api/v1/clusters: what the online scoring stage and
// `envmon train clusters` stored (src/analytics).
#include <charconv>
#include <map>

#include <simdjson.h>

#include "api/api_handlers.h"
#include "api/json_writer.h"

namespace envmon::api {

namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 1000;
constexpr auto kDefaultWindow = std::chrono::hours(24 * 7);

struct AnomalyQuery {
  std::string station;  // empty: every station
  Timestamp from{};
  Timestamp to{};
  int64_t limit = kDefaultLimit;
};

ApiResult<AnomalyQuery> parse_anomaly_query(const QueryParams& params, Timestamp now) {
  AnomalyQuery q;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  for (const auto& [key, value] : params) {
    if (key == "station") {
      q.station = value;
    } else if (key == "from" || key == "to") {
      auto t = parse_rfc3339(value);
      if (!t.ok()) return ApiError::bad_request(key + " must be an RFC 3339 time: " + t.error().message(), key);
      (key == "from" ? from : to) = *t;
    } else if (key == "limit") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q.limit);
      if (ec != std::errc() || end != value.data() + value.size() || q.limit < 1 || q.limit > kMaxLimit)
        return ApiError::bad_request("limit must be an integer in 1.." + std::to_string(kMaxLimit), "limit");
    } else {
      return ApiError::bad_request("unknown parameter '" + key + "'; valid: station, from, to, limit", key);
    }
  }
  q.to = to.value_or(now + std::chrono::hours(1));  // a little ahead: the newest anomaly is "now"
  q.from = from.value_or(q.to - kDefaultWindow);
  if (q.from >= q.to) return ApiError::bad_request("from must be before to", "from");
  return q;
}

// The explanation is embedded as JSON, so it must be JSON: a damaged row becomes null rather
// than a broken response.
bool is_json_object(std::string_view text, simdjson::dom::parser& parser) {
  simdjson::dom::element doc;
  return !text.empty() && parser.parse(simdjson::padded_string(text)).get(doc) == simdjson::SUCCESS &&
         doc.is_object();
}

}  // namespace

HttpResult ApiHandlers::anomalies(const QueryParams& params) {
  auto parsed = parse_anomaly_query(params, clock_.now());
  if (auto* e = std::get_if<ApiError>(&parsed)) return error_result(*e);
  const auto& q = std::get<AnomalyQuery>(parsed);
  if (!q.station.empty()) {
    auto exists = station_exists(q.station);
    if (auto* e = std::get_if<ApiError>(&exists)) return error_result(*e);
    if (!std::get<bool>(exists))
      return error_result(ApiError::not_found("unknown station '" + q.station + "'", "station"));
  }
  auto rows = store_.anomalies(q.station, q.from, q.to, static_cast<size_t>(q.limit));
  if (!rows.ok()) return store_failure("anomalies", rows.error());
  simdjson::dom::parser parser;
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("station");
  q.station.empty() ? w.null() : w.string(q.station);
  w.field_time("from", q.from).field_time("to", q.to).field_integer("count", static_cast<int64_t>(rows->size()));
  w.key("anomalies").begin_array();
  for (const auto& a : *rows) {
    w.begin_object()
        .field("station", a.station)
        .field("metric", metric_id(a.metric))
        .field_time("at", a.at)
        .field("detector", a.detector)
        .field_number("score", a.score)
        .field_number("value", a.value)
        .key("explanation");
    if (is_json_object(a.explanation_json, parser)) {
      w.raw(a.explanation_json);
    } else {
      w.null();
      log_.warn("stored anomaly explanation is not a JSON object",
                {{"station", a.station}, {"at", format_rfc3339(a.at)}});
    }
    w.end_object();
  }
  w.end_array().end_object();
  return {200, std::move(out)};
}

HttpResult ApiHandlers::clusters() {
  auto rows = store_.cluster_labels();
  if (!rows.ok()) return store_failure("cluster_labels", rows.error());
  std::map<int32_t, std::vector<const store::ClusterLabel*>> by_cluster;
  for (const auto& l : *rows) by_cluster[l.cluster].push_back(&l);
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("model");
  rows->empty() ? w.null() : w.string(rows->front().model);
  w.key("computed_at");
  rows->empty() ? w.null() : w.time(rows->front().computed_at);
  w.key("stations").begin_array();
  for (const auto& l : *rows) {
    w.begin_object()
        .field("station", l.station)
        .field_integer("cluster", l.cluster)
        .field_number("silhouette", l.silhouette)
        .end_object();
  }
  w.end_array().key("clusters").begin_array();
  for (const auto& [cluster, members] : by_cluster) {
    w.begin_object().field_integer("cluster", cluster).key("stations").begin_array();
    for (const auto* l : members) w.string(l->station);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return {200, std::move(out)};
}

}  // namespace envmon::api
