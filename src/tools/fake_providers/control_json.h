#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// Body of POST /_fake/faults: a JSON object of Faults fields ({"latency_ms": 200, ...}).
// Fields left out take their defaults (the body describes the whole fault set); unknown fields,
// wrong types and out-of-range values are errors naming the field, so a typo in a script does
// not silently inject nothing.
Result<Faults> faults_from_json(std::string_view json);
std::string faults_to_json(const Faults& f);

// `text` as a JSON string literal (quotes included), escaped: request paths and query values
// end up in answers and stats, and bad input must not make them invalid JSON.
void append_json_string(std::string& out, std::string_view text);
// {"error":"<message>"}
std::string json_error(std::string_view message);

// GET /_fake/stats. Station observation lists can be long (10,000 stations per cycle); they
// are left out when `with_stations` is false.
std::string stats_to_json(const Stats& stats, bool with_stations);

}  // namespace envmon::fake_providers
