#include "sources/http/edge_check.h"

#include <cmath>

#include "model/codec.h"
#include "model/units.h"
#include "transforms/validate/validate.h"

namespace envmon::sources::http {

namespace {

constexpr Seconds kFutureTolerance{300};

EdgeResult rejected(std::string code, std::string reason) {
  EdgeResult out;
  out.verdict = EdgeVerdict::reject;
  out.reject = Reject{std::move(code), std::move(reason)};
  return out;
}

std::optional<EdgeResult> check_fields(const Reading& r, const std::set<std::string>& stations,
                                       Timestamp now) {
  if (!stations.contains(r.station.id.get())) {
    return rejected("validate_station", "station \"" + r.station.id.get() + "\" is not configured");
  }
  if (r.observed_at == Timestamp{}) return rejected("validate_time", "observed_at: missing");
  if (r.observed_at > now + kFutureTolerance) {
    return rejected("validate_time",
                    "observed_at: " + format_rfc3339(r.observed_at) + " is in the future");
  }
  for (const auto& m : r.measurements) {
    const std::string name(metric_id(m.metric));
    if (!std::isfinite(m.value))
      return rejected("validate_bounds", "measurements." + name + ": not finite");
    if (auto c = to_canonical(m.metric, m.unit, m.value); !c.ok()) {
      return rejected("decode_unit", "measurements." + name + ": " + c.error().message());
    }
  }
  return std::nullopt;
}

}  // namespace

EdgeResult check_reading(Reading& r, const std::set<std::string>& stations, Timestamp now,
                         Seconds stale_after) {
  if (auto bad = check_fields(r, stations, now)) return *bad;
  if (r.observed_at < now - stale_after) return EdgeResult{EdgeVerdict::stale, {}, 0};
  auto decoded = decode_reading(encode_reading(r));
  if (!decoded.ok()) {
    return rejected(std::string(errc_name(decoded.error().code())),
                    "codec round trip: " + decoded.error().message());
  }
  transforms::ValidateConfig cfg;
  cfg.future_tolerance_secs = kFutureTolerance.count();
  cfg.clock_skew = transforms::ClockSkewPolicy::reject;
  auto v = transforms::validate_reading(*decoded, true, cfg);
  if (!v.ok()) return rejected(std::string(errc_name(v.error().code())), v.error().message());
  r = std::move(*decoded);
  EdgeResult out;
  out.nulls_dropped = v->nulls_dropped;
  return out;
}

}  // namespace envmon::sources::http
