#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace envmon::models {

// An anomaly detector's explanation as the JSON object of an AnomalyRecord:
// {"detector": .., "score": .., "top_feature": .., "features": {name: share, ...}}.
// `names` label the shares; a missing name becomes "f<i>".
nlohmann::json feature_share_object(std::string_view detector, double score,
                                    std::span<const double> shares,
                                    const std::vector<std::string>& names);
// The same, as text.
std::string feature_share_json(std::string_view detector, double score,
                               std::span<const double> shares,
                               const std::vector<std::string>& names);

}  // namespace envmon::models
