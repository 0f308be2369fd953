#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// Body of POST /_fake/faults: a JSON object of Faults fields ({"latency_ms": 200, ...}).
// Fields left out take their defaults (the body describes the whole fault set); unknown fields
// and wrong types are errors, so a typo in a script does not silently inject nothing.
Result<Faults> faults_from_json(std::string_view json);
std::string faults_to_json(const Faults& f);

// GET /_fake/stats. Station observation lists can be long (10,000 stations per cycle); they
// are left out when `with_stations` is false.
std::string stats_to_json(const Stats& stats, bool with_stations);

}  // namespace envmon::fake_providers
