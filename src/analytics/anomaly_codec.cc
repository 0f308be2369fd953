#include "analytics/anomaly_codec.h"

#include <array>
#include <cmath>

#include <nlohmann/json.hpp>

namespace envmon::analytics {

namespace {

using Json = nlohmann::json;

Error field_error(std::string_view field, std::string_view what) {
  return Error(Errc::decode_field, "anomaly: " + std::string(field) + ": " + std::string(what));
}

Result<std::string> string_field(const Json& j, std::string_view field) {
  const auto it = j.find(field);
  if (it == j.end()) return field_error(field, "missing");
  if (!it->is_string()) return field_error(field, "expected a string");
  return it->get<std::string>();
}

Result<double> number_field(const Json& j, std::string_view field) {
  const auto it = j.find(field);
  if (it == j.end()) return field_error(field, "missing");
  if (!it->is_number()) return field_error(field, "expected a number");
  return it->get<double>();
}

Status check_fields(const Json& j) {
  static constexpr std::array<std::string_view, 8> kFields = {
      "v", "station", "metric", "at", "detector", "score", "value", "explanation"};
  for (const auto& [key, value] : j.items()) {
    (void)value;
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end())
      return field_error(key, "unknown field");
  }
  const auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer()) return field_error("v", "missing or not an integer");
  if (v->get<int64_t>() != kAnomalySchemaVersion)
    return Error(Errc::decode_version, "anomaly: v: unsupported schema version " +
                                           std::to_string(v->get<int64_t>()));
  return ok_status();
}

}  // namespace

std::string encode_anomaly(const store::AnomalyRecord& a) {
  Json explanation = Json::parse(a.explanation_json, nullptr, false);
  if (explanation.is_discarded() || !explanation.is_object()) explanation = Json::object();
  const auto num = [](double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); };
  const Json j = {{"v", kAnomalySchemaVersion},
                  {"station", a.station},
                  {"metric", metric_id(a.metric)},
                  {"at", format_rfc3339(a.at)},
                  {"detector", a.detector},
                  {"score", num(a.score)},
                  {"value", num(a.value)},
                  {"explanation", std::move(explanation)}};
  return j.dump();
}

Result<store::AnomalyRecord> decode_anomaly(std::string_view json) {
  const Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded()) return Error(Errc::decode_syntax, "anomaly: not valid JSON");
  if (!j.is_object()) return Error(Errc::decode_syntax, "anomaly: not a JSON object");
  ENVMON_TRY(check_fields(j));
  store::AnomalyRecord a;
  auto station = string_field(j, "station");
  if (!station.ok()) return station.error();
  if (station->empty()) return field_error("station", "empty");
  auto metric = string_field(j, "metric");
  if (!metric.ok()) return metric.error();
  const auto m = parse_metric(*metric);
  if (!m) return field_error("metric", "unknown metric '" + *metric + "'");
  auto at = string_field(j, "at");
  if (!at.ok()) return at.error();
  auto t = parse_rfc3339(*at);
  if (!t.ok()) return field_error("at", t.error().message());
  auto detector = string_field(j, "detector");
  if (!detector.ok()) return detector.error();
  auto score = number_field(j, "score");
  if (!score.ok()) return score.error();
  auto value = number_field(j, "value");
  if (!value.ok()) return value.error();
  const auto ex = j.find("explanation");
  if (ex == j.end() || !ex->is_object()) return field_error("explanation", "expected an object");
  a.station = std::move(*station);
  a.metric = *m;
  a.at = *t;
  a.detector = std::move(*detector);
  a.score = *score;
  a.value = *value;
  a.explanation_json = ex->dump();
  return a;
}

}  // namespace envmon::analytics
