#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "store/store.h"

namespace envmon::analytics {

// The versioned JSON encoding of an anomaly (topic anomalies):
//   {"v":1,"station":"delhi","metric":"pm25","at":"2026-01-01T05:00:00Z",
//    "detector":"robust_zscore","score":6.2,"value":812,"explanation":{...}}
// `score` is the detector's (|z| for robust_zscore); `explanation` is a JSON object saying which
// metrics and features drove it. Decoding is strict: a missing or mistyped field, an unknown
// field, metric or version is an error naming the field.
inline constexpr int kAnomalySchemaVersion = 1;

std::string encode_anomaly(const store::AnomalyRecord& a);
Result<store::AnomalyRecord> decode_anomaly(std::string_view json);

}  // namespace envmon::analytics
