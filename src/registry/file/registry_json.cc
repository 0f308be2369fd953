#include "registry/file/registry_json.h"

#include <cmath>
#include <limits>

namespace envmon::registry::file {

namespace {

Error field_error(const std::string& where, std::string_view field, std::string_view what) {
  return Error(Errc::decode_field,
               "registry file " + where + ": field '" + std::string(field) + "' " + std::string(what));
}

Result<std::string> get_string(const Json& j, std::string_view field, const std::string& where) {
  const auto it = j.find(field);
  if (it == j.end() || !it->is_string()) return field_error(where, field, "missing or not a string");
  return it->get<std::string>();
}

Result<int64_t> get_int(const Json& j, std::string_view field, const std::string& where) {
  const auto it = j.find(field);
  if (it == j.end() || !it->is_number_integer())
    return field_error(where, field, "missing or not an integer");
  return it->get<int64_t>();
}

Result<std::map<std::string, std::string>> get_string_map(const Json& j, std::string_view field,
                                                          const std::string& where) {
  std::map<std::string, std::string> out;
  const auto it = j.find(field);
  if (it == j.end()) return out;
  if (!it->is_object()) return field_error(where, field, "is not an object");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return field_error(where, std::string(field) + "." + k, "is not a string");
    out[k] = v.get<std::string>();
  }
  return out;
}

// [value, step, unix_ms]; NaN and infinities are stored as null (JSON has no NaN).
Result<MetricPoint> metric_point(const Json& p, const std::string& field, const std::string& where) {
  if (!p.is_array() || p.size() != 3 || !(p[0].is_number() || p[0].is_null()) ||
      !p[1].is_number_integer() || !p[2].is_number_integer())
    return field_error(where, field, "is not [value, step, unix_ms]");
  const double v = p[0].is_null() ? std::numeric_limits<double>::quiet_NaN() : p[0].get<double>();
  return MetricPoint{v, p[1].get<int64_t>(), from_unix_ms(p[2].get<int64_t>())};
}

Result<std::map<std::string, std::vector<MetricPoint>>> get_metrics(const Json& j,
                                                                    const std::string& where) {
  std::map<std::string, std::vector<MetricPoint>> out;
  const auto it = j.find("metrics");
  if (it == j.end()) return out;
  if (!it->is_object()) return field_error(where, "metrics", "is not an object");
  for (const auto& [k, arr] : it->items()) {
    if (!arr.is_array()) return field_error(where, "metrics." + k, "is not an array");
    for (size_t i = 0; i < arr.size(); ++i) {
      auto p = metric_point(arr[i], "metrics." + k + "[" + std::to_string(i) + "]", where);
      if (!p.ok()) return p.error();
      out[k].push_back(*p);
    }
  }
  return out;
}

}  // namespace

Result<Json> parse_doc(const std::string& text, const std::string& where) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return Error(Errc::decode_syntax, "registry file " + where + ": not valid JSON");
  if (!j.is_object()) return Error(Errc::decode_syntax, "registry file " + where + ": not a JSON object");
  return j;
}

Json experiment_to_json(const Experiment& e) {
  return {{"id", e.id}, {"name", e.name}, {"created_ms", to_unix_ms(e.created_at)}};
}

Result<Experiment> experiment_from_json(const Json& j, const std::string& where) {
  Experiment e;
  auto id = get_string(j, "id", where);
  if (!id.ok()) return id.error();
  auto name = get_string(j, "name", where);
  if (!name.ok()) return name.error();
  auto created = get_int(j, "created_ms", where);
  if (!created.ok()) return created.error();
  return Experiment{*id, *name, from_unix_ms(*created)};
}

Json run_to_json(const Run& r) {
  Json metrics = Json::object();
  for (const auto& [k, points] : r.metrics) {
    Json arr = Json::array();
    for (const auto& p : points) {
      Json v = std::isfinite(p.value) ? Json(p.value) : Json(nullptr);
      arr.push_back(Json::array({v, p.step, to_unix_ms(p.at)}));
    }
    metrics[k] = std::move(arr);
  }
  return {{"run_id", r.run_id},
          {"experiment_id", r.experiment_id},
          {"run_name", r.run_name},
          {"status", run_status_name(r.status)},
          {"start_ms", to_unix_ms(r.start_time)},
          {"end_ms", r.end_time ? Json(to_unix_ms(*r.end_time)) : Json(nullptr)},
          {"params", r.params},
          {"tags", r.tags},
          {"metrics", std::move(metrics)},
          {"artifacts", r.artifacts}};
}

Result<Run> run_from_json(const Json& j, const std::string& where) {
  Run r;
  auto run_id = get_string(j, "run_id", where);
  if (!run_id.ok()) return run_id.error();
  auto exp = get_string(j, "experiment_id", where);
  if (!exp.ok()) return exp.error();
  auto name = get_string(j, "run_name", where);
  if (!name.ok()) return name.error();
  auto status = get_string(j, "status", where);
  if (!status.ok()) return status.error();
  auto start = get_int(j, "start_ms", where);
  if (!start.ok()) return start.error();
  auto st = parse_run_status(*status);
  if (!st.ok()) return field_error(where, "status", st.error().message());
  r.run_id = *run_id, r.experiment_id = *exp, r.run_name = *name, r.status = *st;
  r.start_time = from_unix_ms(*start);
  if (const auto end = j.find("end_ms"); end != j.end() && !end->is_null()) {
    if (!end->is_number_integer()) return field_error(where, "end_ms", "is not an integer");
    r.end_time = from_unix_ms(end->get<int64_t>());
  }
  auto params = get_string_map(j, "params", where);
  if (!params.ok()) return params.error();
  auto tags = get_string_map(j, "tags", where);
  if (!tags.ok()) return tags.error();
  auto metrics = get_metrics(j, where);
  if (!metrics.ok()) return metrics.error();
  r.params = std::move(*params), r.tags = std::move(*tags), r.metrics = std::move(*metrics);
  if (const auto arts = j.find("artifacts"); arts != j.end()) {
    if (!arts->is_array()) return field_error(where, "artifacts", "is not an array");
    for (const auto& a : *arts) {
      if (!a.is_string()) return field_error(where, "artifacts", "holds a non-string");
      r.artifacts.push_back(a.get<std::string>());
    }
  }
  return r;
}

Json model_version_to_json(const ModelVersion& mv) {
  return {{"name", mv.name},
          {"version", mv.version},
          {"run_id", mv.run_id},
          {"artifact", mv.artifact},
          {"created_ms", to_unix_ms(mv.created_at)}};
}

Result<ModelVersion> model_version_from_json(const Json& j, const std::string& where) {
  auto name = get_string(j, "name", where);
  if (!name.ok()) return name.error();
  auto version = get_int(j, "version", where);
  if (!version.ok()) return version.error();
  auto run_id = get_string(j, "run_id", where);
  if (!run_id.ok()) return run_id.error();
  auto artifact = get_string(j, "artifact", where);
  if (!artifact.ok()) return artifact.error();
  auto created = get_int(j, "created_ms", where);
  if (!created.ok()) return created.error();
  return ModelVersion{*name, *version, *run_id, *artifact, from_unix_ms(*created), {}};
}

Result<std::map<std::string, int64_t>> aliases_from_json(const Json& j, const std::string& where) {
  std::map<std::string, int64_t> out;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_number_integer()) return field_error(where, k, "is not a version number");
    out[k] = v.get<int64_t>();
  }
  return out;
}

}  // namespace envmon::registry::file
