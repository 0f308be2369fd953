#include "api/json_render.h"

#include <cmath>

#include "api/aqi_category.h"
#include "api/api_error.h"
#include "api/json_writer.h"

namespace envmon::api {

namespace {

std::string_view kind_name(MetricKind k) {
  switch (k) {
    case MetricKind::weather: return "weather";
    case MetricKind::pollutant: return "pollutant";
    case MetricKind::index: return "index";
  }
  return "weather";
}

void write_flags(JsonWriter& w, FlagSet flags) {
  w.key("flags").begin_array();
  if (flags != 0) {
    for (Flag f : all_flags()) {
      if (has_flag(flags, f)) w.string(flag_name(f));
    }
  }
  w.end_array();
}

void write_aqi(JsonWriter& w, std::string_view key, const std::optional<store::Observation>& obs,
               AqiBand (*band_of)(double)) {
  w.key(key);
  if (!obs) {
    w.null();
    return;
  }
  const AqiBand band = band_of(obs->value);
  w.begin_object()
      .field_integer("value", static_cast<int64_t>(std::llround(obs->value)))
      .field("category", band.category)
      .field("color", band.color)
      .field_time("observed_at", obs->observed_at)
      .end_object();
}

void write_series_header(JsonWriter& w, const ObservationQuery& q) {
  w.field("station", q.station)
      .field("metric", metric_id(q.metric))
      .field("unit", metric_info(q.metric).unit)
      .field_time("from", q.from)
      .field_time("to", q.to);
}

}  // namespace

std::string render_metric_catalogue() {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("metrics").begin_array();
  for (const auto& m : metric_catalogue()) {
    w.begin_object()
        .field("id", m.id)
        .field("unit", m.unit)
        .field("display_unit", m.unit_display)
        .field("kind", kind_name(m.kind))
        .field_number("min", m.min)
        .field_number("max", m.max)
        .field("description", m.description)
        .end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string render_stations(const std::vector<StationSummary>& stations) {
  std::string out;
  out.reserve(256 * stations.size() + 16);
  JsonWriter w(out);
  w.begin_object().key("stations").begin_array();
  for (const auto& s : stations) {
    w.begin_object()
        .field("id", s.station.id)
        .field("name", s.station.name)
        .field_number("lat", s.station.lat)
        .field_number("lon", s.station.lon)
        .field("timezone", s.station.timezone)
        .field("region", s.station.region);
    write_aqi(w, "aqi_us", s.aqi_us, &us_aqi_band);
    write_aqi(w, "aqi_in", s.aqi_in, &india_aqi_band);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string render_latest(const std::string& station, const std::vector<store::Observation>& rows) {
  std::string out;
  out.reserve(128 * rows.size() + 64);
  JsonWriter w(out);
  w.begin_object().field("station", station).key("measurements").begin_array();
  for (const auto& r : rows) {
    w.begin_object()
        .field("metric", metric_id(r.metric))
        .field_number("value", r.value)
        .field("unit", metric_info(r.metric).unit)
        .field_time("observed_at", r.observed_at)
        .field("source", r.source);
    write_flags(w, r.flags);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string render_raw_points(const ObservationQuery& q, const std::vector<store::Observation>& rows) {
  std::string out;
  out.reserve(80 * rows.size() + 200);
  JsonWriter w(out);
  w.begin_object();
  write_series_header(w, q);
  w.key("bucket").null().key("points").begin_array();
  for (const auto& r : rows) {
    w.begin_object().field_time("t", r.observed_at).field_number("value", r.value);
    write_flags(w, r.flags);
    w.field("source", r.source).end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string render_buckets(const ObservationQuery& q, const std::vector<store::Bucket>& buckets) {
  std::string out;
  out.reserve(100 * buckets.size() + 200);
  JsonWriter w(out);
  w.begin_object();
  write_series_header(w, q);
  w.field("bucket", q.bucket_label)
      .field_integer("bucket_secs", q.bucket ? q.bucket->count() : 0)
      .key("points")
      .begin_array();
  for (const auto& b : buckets) {
    w.begin_object()
        .field_time("t", b.start)
        .field_number("mean", b.mean)
        .field_number("min", b.min)
        .field_number("max", b.max)
        .field_integer("count", b.count)
        .end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string render_error(const ApiError& error) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object();
  w.field_integer("status", error.status).field("code", error.code).field("message", error.message);
  w.key("parameter");
  if (error.parameter.empty()) {
    w.null();
  } else {
    w.string(error.parameter);
  }
  w.end_object().end_object();
  return out;
}

std::string error_code_for_status(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 416: return "range_not_satisfiable";
    case 431: return "headers_too_large";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "bad_request";
  }
}

std::string render_top_aqi(Metric metric, const std::vector<store::StationAqi>& rows) {
  std::string out;
  out.reserve(128 * rows.size() + 64);
  JsonWriter w(out);
  w.begin_object().field("metric", metric_id(metric)).key("stations").begin_array();
  for (const auto& r : rows) {
    const AqiBand band = metric == Metric::aqi_us ? us_aqi_band(r.aqi) : india_aqi_band(r.aqi);
    w.begin_object()
        .field("station", r.station)
        .field_number("aqi", r.aqi)
        .field("category", band.category)
        .field("color", band.color)
        .field_time("hour", r.at)
        .field("dominant", r.dominant)
        .end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace envmon::api
