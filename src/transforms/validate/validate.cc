#include "transforms/validate/validate.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace envmon::transforms {

const config::Schema<ValidateConfig>& validate_schema() {
  static const config::Schema<ValidateConfig> schema = [] {
    config::Schema<ValidateConfig> s("processor");
    s.integer("future_tolerance_secs", &ValidateConfig::future_tolerance_secs, 300, "s", 0, 86400,
              "How far observed_at may be ahead of ingested_at before the clock-skew policy applies")
        .enumeration("clock_skew", &ValidateConfig::clock_skew, ClockSkewPolicy::flag,
                     {{"flag", ClockSkewPolicy::flag}, {"reject", ClockSkewPolicy::reject}},
                     "flag: keep the reading and set the clock_skew flag; reject: dead-letter it");
    return s;
  }();
  return schema;
}

Result<ValidateOutcome> validate_reading(Reading& r, bool station_known, const ValidateConfig& cfg) {
  if (!station_known) {
    return Error(Errc::validate_station,
                 "station.id: unknown station '" + r.station.id.get() + "' (not in the config)");
  }
  if (r.source.get().empty()) return Error(Errc::decode_field, "source: must not be empty");
  if (r.measurements.empty()) {
    return Error(Errc::decode_field, "measurements: at least one measurement is required");
  }
  ValidateOutcome outcome;
  const bool has_ingest = r.ingested_at != Timestamp{};
  if (has_ingest && r.observed_at > r.ingested_at + Seconds(cfg.future_tolerance_secs)) {
    if (cfg.clock_skew == ClockSkewPolicy::reject) {
      return Error(Errc::validate_time, "observed_at: " + format_rfc3339(r.observed_at) +
                                            " is more than " +
                                            std::to_string(cfg.future_tolerance_secs) +
                                            " s after ingested_at " + format_rfc3339(r.ingested_at));
    }
    outcome.clock_skew = true;
    for (auto& m : r.measurements) set_flag(m.flags, Flag::clock_skew);
  }
  const auto before = r.measurements.size();
  std::erase_if(r.measurements, [](const Measurement& m) { return std::isnan(m.value); });
  outcome.nulls_dropped = before - r.measurements.size();
  return outcome;
}

}  // namespace envmon::transforms
