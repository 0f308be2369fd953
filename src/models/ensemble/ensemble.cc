#include "models/ensemble/ensemble.h"

#include <cmath>

namespace envmon::models {
namespace {

constexpr std::string_view kKind = "ensemble";
constexpr int64_t kVersion = 1;

}  // namespace

Ensemble::Ensemble(std::vector<std::unique_ptr<Forecaster>> members, std::vector<double> weights)
    : members_(std::move(members)), weights_(std::move(weights)) {
  weights_.resize(members_.size(), 0);
}

std::vector<double> Ensemble::inverse_error_weights(const std::vector<double>& errors) {
  std::vector<double> w(errors.size(), 0);
  double total = 0;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (std::isfinite(errors[i]) && errors[i] > 0) total += w[i] = 1 / errors[i];
  }
  for (double& x : w) x = total > 0 ? x / total : 1.0 / static_cast<double>(w.size());
  return w;
}

Forecast Ensemble::combine(const std::vector<Forecast>& forecasts, const std::vector<double>& weights) {
  Forecast out;
  if (forecasts.empty()) return out;
  const size_t n = forecasts.front().mean.size();
  for (size_t s = 0; s < n; ++s) {
    double mean = 0, lower = 0, upper = 0, used = 0;
    for (size_t i = 0; i < forecasts.size(); ++i) {
      const Forecast& f = forecasts[i];
      if (weights[i] <= 0 || s >= f.mean.size() || !std::isfinite(f.mean[s])) continue;
      mean += weights[i] * f.mean[s];
      lower += weights[i] * f.lower[s];
      upper += weights[i] * f.upper[s];
      used += weights[i];
    }
    // A member without a value at this step leaves the others renormalised.
    const double nan = std::nan("");
    out.mean.push_back(used > 0 ? mean / used : nan);
    out.lower.push_back(used > 0 ? lower / used : nan);
    out.upper.push_back(used > 0 ? upper / used : nan);
  }
  return out;
}

Status Ensemble::fit(const History& history) {
  for (auto& m : members_) {
    auto st = m->fit(history);
    if (!st.ok()) return st.error().with_context("ensemble member " + std::string(m->name()));
  }
  return ok_status();
}

Result<Forecast> Ensemble::predict(const History& history, int horizon) const {
  std::vector<Forecast> forecasts;
  for (const auto& m : members_) {
    auto f = m->predict(history, horizon);
    if (!f.ok()) return f.error().with_context("ensemble member " + std::string(m->name()));
    forecasts.push_back(std::move(*f));
  }
  return combine(forecasts, weights_);
}

std::string Ensemble::save() const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : members_) members.push_back(nlohmann::json::parse(m->save()));
  return wrap_body(kKind, kVersion, {{"weights", weights_}, {"members", members}});
}

Result<std::unique_ptr<Ensemble>> Ensemble::load(std::string_view bytes, const Loader& member_loader) {
  auto body = parse_body(bytes, kKind, kVersion);
  if (!body.ok()) return body.error();
  const auto weights = body->find("weights");
  const auto members = body->find("members");
  if (weights == body->end() || members == body->end() || !members->is_array() ||
      !weights->is_array() || weights->size() != members->size()) {
    return Error(Errc::decode_field, "ensemble model: 'weights' and 'members' must be arrays of one length");
  }
  std::vector<std::unique_ptr<Forecaster>> loaded;
  std::vector<double> w;
  for (size_t i = 0; i < members->size(); ++i) {
    auto m = member_loader((*members)[i].dump());
    if (!m.ok()) return m.error().with_context("ensemble member " + std::to_string(i));
    loaded.push_back(std::move(*m));
    if (!(*weights)[i].is_number()) return Error(Errc::decode_field, "ensemble model: a weight is not a number");
    w.push_back((*weights)[i].get<double>());
  }
  return std::make_unique<Ensemble>(std::move(loaded), std::move(w));
}

}  // namespace envmon::models
