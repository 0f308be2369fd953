#include "sources/http/edge_check.h"

#include <cmath>
#include <optional>

#include <simdjson.h>

#include "model/units.h"
#include "transforms/validate/validate.h"

namespace envmon::sources::http {

namespace {

EdgeResult rejected(std::string code, std::string reason) {
  EdgeResult out;
  out.verdict = EdgeVerdict::reject;
  out.reject = Reject{std::move(code), std::move(reason)};
  return out;
}

EdgeResult rejected(const Error& e) {
  return rejected(std::string(errc_name(e.code())), e.message());
}

// The codec copies strings verbatim; the decoder downstream rejects invalid UTF-8.
std::optional<EdgeResult> check_text(std::string_view field, std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  return rejected("source_payload", std::string(field) + ": not valid UTF-8");
}

// What validate_reading leaves to the decoder downstream: time set, numbers the codec can
// carry (it writes inf as null, which then fails to decode as `raw`), text it can carry,
// units it can convert.
std::optional<EdgeResult> check_fields(const Reading& r) {
  if (r.observed_at == Timestamp{}) return rejected("validate_time", "observed_at: missing");
  if (auto bad = check_text("source", r.source.get())) return bad;
  if (auto bad = check_text("station.name", r.station.name)) return bad;
  if (auto bad = check_text("station.provider_id", r.station.provider_id)) return bad;
  for (const auto& m : r.measurements) {
    const std::string name(metric_id(m.metric));
    if (auto bad = check_text("measurements." + name + ".unit", m.unit)) return bad;
    if (std::isinf(m.value) || std::isinf(m.raw))
      return rejected("validate_bounds", "measurements." + name + ": not finite");
    if (auto c = to_canonical(m.metric, m.unit, m.value); !c.ok())
      return rejected("decode_unit", "measurements." + name + ": " + c.error().message());
  }
  return std::nullopt;
}

const transforms::ValidateConfig& edge_validate_config() {
  static const transforms::ValidateConfig cfg{300, transforms::ClockSkewPolicy::reject};
  return cfg;
}

}  // namespace

EdgeResult check_reading(Reading& r, const std::set<std::string>& stations, Timestamp now,
                         Seconds stale_after) {
  r.ingested_at = now;
  if (auto bad = check_fields(r)) return *bad;
  auto v = transforms::validate_reading(r, stations.contains(r.station.id.get()),
                                        edge_validate_config());
  if (!v.ok()) return rejected(v.error());
  if (r.observed_at < now - stale_after) return EdgeResult{EdgeVerdict::stale, {}, 0};
  EdgeResult out;
  out.nulls_dropped = v->nulls_dropped;
  if (r.measurements.empty()) out.verdict = EdgeVerdict::empty;
  return out;
}

}  // namespace envmon::sources::http
