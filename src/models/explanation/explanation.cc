#include "models/explanation/explanation.h"

namespace envmon::models {

nlohmann::json feature_share_object(std::string_view detector, double score,
                                    std::span<const double> shares,
                                    const std::vector<std::string>& names) {
  nlohmann::json features = nlohmann::json::object();
  std::string top;
  double top_share = -1;
  for (size_t i = 0; i < shares.size(); ++i) {
    const std::string name = i < names.size() ? names[i] : "f" + std::to_string(i);
    features[name] = shares[i];
    if (shares[i] > top_share) {
      top_share = shares[i];
      top = name;
    }
  }
  return nlohmann::json{{"detector", std::string(detector)},
                        {"score", score},
                        {"top_feature", top},
                        {"features", features}};
}

std::string feature_share_json(std::string_view detector, double score,
                               std::span<const double> shares,
                               const std::vector<std::string>& names) {
  return feature_share_object(detector, score, shares, names).dump();
}

}  // namespace envmon::models
