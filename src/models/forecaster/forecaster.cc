#include "models/forecaster/forecaster.h"

#include <algorithm>
#include <cmath>

#include "registry/model_format.h"

namespace envmon::models {

History History::tail(size_t n) const {
  if (n >= y.size()) return *this;
  History h = *this;
  const size_t skip = y.size() - n;
  h.y = y.subspan(skip);
  h.start_unix = time_at(skip);
  h.frame_offset = frame_offset + skip;
  return h;
}

double quantile(std::vector<double> values, double q) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

StepQuantiles StepQuantiles::from_errors(const std::vector<std::vector<double>>& errors_by_step) {
  StepQuantiles s;
  for (const auto& e : errors_by_step) {
    double lo = quantile(e, kLowerQuantile);
    double hi = quantile(e, kUpperQuantile);
    if (!std::isfinite(lo)) lo = s.lower.empty() ? 0 : s.lower.back();
    if (!std::isfinite(hi)) hi = s.upper.empty() ? 0 : s.upper.back();
    s.lower.push_back(lo);
    s.upper.push_back(hi);
  }
  return s;
}

Forecast StepQuantiles::around(std::vector<double> mean) const {
  Forecast f;
  for (size_t i = 0; i < mean.size(); ++i) {
    const size_t k = std::min(i, lower.size() - 1);
    f.lower.push_back(lower.empty() ? mean[i] : mean[i] + lower[k]);
    f.upper.push_back(upper.empty() ? mean[i] : mean[i] + upper[k]);
  }
  f.mean = std::move(mean);
  return f;
}

std::string wrap_body(std::string_view kind, int64_t version, const nlohmann::json& body) {
  return registry::wrap_model(kind, version, body.dump());
}

Result<nlohmann::json> parse_body(std::string_view bytes, std::string_view kind, int64_t version) {
  auto env = registry::unwrap_model(bytes, kind, version);
  if (!env.ok()) return env.error();
  auto body = nlohmann::json::parse(env->body_json, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Error(Errc::decode_syntax, std::string(kind) + " model: body is not a JSON object");
  }
  return body;
}

size_t count_finite(std::span<const double> y) {
  return static_cast<size_t>(std::count_if(y.begin(), y.end(), [](double v) { return std::isfinite(v); }));
}

}  // namespace envmon::models
