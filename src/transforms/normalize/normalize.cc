#include "transforms/normalize/normalize.h"

#include <string>

#include "model/units.h"

namespace envmon::transforms {

Status normalize_units(Reading& r) {
  for (auto& m : r.measurements) {
    if (m.unit.empty()) continue;
    auto converted = to_canonical(m.metric, m.unit, m.value);
    if (!converted.ok()) {
      return Error(Errc::decode_unit, "measurements." + std::string(metric_id(m.metric)) +
                                          ".unit: " + converted.error().message());
    }
    if (m.unit != metric_info(m.metric).unit) {
      set_flag(m.flags, Flag::converted);
      if (*converted != m.value) m.raw = m.value;
      m.value = *converted;
    }
    m.unit.clear();
  }
  return ok_status();
}

}  // namespace envmon::transforms
