#include "registry/model_format.h"

#include <nlohmann/json.hpp>

namespace envmon::registry {

namespace {
constexpr std::string_view kFormat = "envmon-model";
}

std::string wrap_model(std::string_view kind, int64_t version, std::string_view body_json) {
  nlohmann::json head = {{"format", kFormat}, {"kind", kind}, {"version", version}};
  std::string out = head.dump();
  out.pop_back();  // splice the body in verbatim: it is already JSON, and may be large
  out += ",\"body\":";
  out += body_json;
  out += '}';
  return out;
}

Result<ModelEnvelope> unwrap_model(std::string_view bytes, std::string_view expected_kind,
                                   int64_t max_version) {
  const auto doc = nlohmann::json::parse(bytes, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(Errc::decode_syntax, "saved model is not a JSON object");
  const auto fmt = doc.find("format");
  if (fmt == doc.end() || !fmt->is_string() || *fmt != kFormat)
    return Error(Errc::decode_field, "saved model: field 'format' is not \"envmon-model\"");
  const auto kind = doc.find("kind");
  if (kind == doc.end() || !kind->is_string())
    return Error(Errc::decode_field, "saved model: field 'kind' missing");
  if (*kind != expected_kind)
    return Error(Errc::decode_field, "saved model: kind '" + kind->get<std::string>() +
                                         "', expected '" + std::string(expected_kind) + "'");
  const auto ver = doc.find("version");
  if (ver == doc.end() || !ver->is_number_integer())
    return Error(Errc::decode_field, "saved model: field 'version' missing or not an integer");
  const int64_t v = ver->get<int64_t>();
  if (v < 1 || v > max_version)
    return Error(Errc::decode_version, "saved model: version " + std::to_string(v) +
                                           " not supported (1.." + std::to_string(max_version) +
                                           ")");
  const auto body = doc.find("body");
  if (body == doc.end() || !body->is_object())
    return Error(Errc::decode_field, "saved model: field 'body' missing or not an object");
  return ModelEnvelope{kind->get<std::string>(), v, body->dump()};
}

}  // namespace envmon::registry
