#include "eval/forecast/backtest.h"

#include <chrono>
#include <cmath>

#include "models/ensemble/ensemble.h"

namespace envmon::eval {
namespace {

using models::Forecast;
using models::History;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

History prefix(const History& h, size_t end) {
  History p = h;
  p.y = h.y.first(end);
  return p;
}

Forecast missing_forecast(int64_t horizon) {
  const std::vector<double> nan(static_cast<size_t>(horizon), std::nan(""));
  return {nan, nan, nan};
}

// One model over all origins (validation first, then test): its forecasts per origin.
std::vector<Forecast> forecasts_of(const ModelEntry& entry, const History& series,
                                   const std::vector<size_t>& origins, int64_t horizon,
                                   ModelScore& score) {
  std::vector<Forecast> out;
  std::unique_ptr<models::Forecaster> model;
  bool fitted = false;
  for (size_t k = 0; k < origins.size(); ++k) {
    const History h = prefix(series, origins[k]);
    if (!model || (fitted && model->refit_each_origin())) {
      auto made = entry.make();
      if (!made.ok()) {
        score.failures.push_back(made.error().message());
        out.push_back(missing_forecast(horizon));
        continue;
      }
      model = std::move(*made);
      fitted = false;
    }
    if (!fitted) {
      const auto t0 = std::chrono::steady_clock::now();
      auto st = model->fit(h);
      score.fit_seconds += seconds_since(t0);
      if (!st.ok()) {
        score.failures.push_back("origin " + std::to_string(k) + ": " + st.error().message());
        out.push_back(missing_forecast(horizon));
        model.reset();
        continue;
      }
      fitted = true;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto f = model->predict(h, static_cast<int>(horizon));
    score.predict_seconds += seconds_since(t0);
    out.push_back(f.ok() ? std::move(*f) : missing_forecast(horizon));
  }
  return out;
}

Metrics score_range(const History& series, const std::vector<size_t>& origins,
                    const std::vector<Forecast>& f, size_t from, size_t to, int64_t horizon,
                    double scale) {
  MetricsAccumulator acc;
  for (size_t k = from; k < to; ++k) {
    const auto actual = series.y.subspan(origins[k], static_cast<size_t>(horizon));
    acc.add(actual, f[k].mean, f[k].lower, f[k].upper);
  }
  return acc.result(scale);
}

}  // namespace

Result<BacktestResult> run_backtest(const History& full, const std::vector<ModelEntry>& models,
                                    const BacktestConfig& c, bool with_ensemble) {
  // Trailing missing targets are not part of the series to forecast.
  size_t end = full.size();
  while (end > 0 && !std::isfinite(full.y[end - 1])) --end;
  const History series = prefix(full, end);
  const auto H = static_cast<size_t>(c.horizon), step = static_cast<size_t>(c.origin_spacing_hours);
  const size_t span = H + step * static_cast<size_t>(c.test_origins - 1) + H +
                      step * static_cast<size_t>(c.validation_origins - 1);
  if (end < span + static_cast<size_t>(c.min_history_hours)) {
    return Error(Errc::invalid_argument,
                 "series too short for the backtest: " + std::to_string(end) + " hours, needs " +
                     std::to_string(span + static_cast<size_t>(c.min_history_hours)));
  }
  BacktestResult r;
  const size_t last_test = end - H;
  for (int64_t k = c.test_origins - 1; k >= 0; --k) r.test_origins.push_back(last_test - step * static_cast<size_t>(k));
  const size_t last_val = r.test_origins.front() - H;
  for (int64_t k = c.validation_origins - 1; k >= 0; --k) r.validation_origins.push_back(last_val - step * static_cast<size_t>(k));
  r.mase_scale = seasonal_naive_scale(series.y.first(r.validation_origins.front()), static_cast<size_t>(c.season_hours));
  std::vector<size_t> origins = r.validation_origins;
  origins.insert(origins.end(), r.test_origins.begin(), r.test_origins.end());
  const size_t nv = r.validation_origins.size();
  std::vector<std::vector<Forecast>> all;
  std::vector<double> validation_mae;
  for (const auto& m : models) {
    ModelScore s;
    s.model = m.name;
    all.push_back(forecasts_of(m, series, origins, c.horizon, s));
    s.validation = score_range(series, origins, all.back(), 0, nv, c.horizon, r.mase_scale);
    s.test = score_range(series, origins, all.back(), nv, origins.size(), c.horizon, r.mase_scale);
    validation_mae.push_back(s.validation.mae);
    r.scores.push_back(std::move(s));
  }
  if (!with_ensemble) return r;
  const auto weights = models::Ensemble::inverse_error_weights(validation_mae);
  ModelScore e;
  e.model = "ensemble";
  std::vector<Forecast> combined;
  for (size_t k = 0; k < origins.size(); ++k) {
    std::vector<Forecast> members;
    for (const auto& f : all) members.push_back(f[k]);
    combined.push_back(models::Ensemble::combine(members, weights));
  }
  for (size_t i = 0; i < r.scores.size(); ++i) {
    r.scores[i].weight = weights[i];
    e.fit_seconds += r.scores[i].fit_seconds;
    e.predict_seconds += r.scores[i].predict_seconds;
  }
  e.weight = 1;
  e.validation = score_range(series, origins, combined, 0, nv, c.horizon, r.mase_scale);
  e.test = score_range(series, origins, combined, nv, origins.size(), c.horizon, r.mase_scale);
  r.scores.push_back(std::move(e));
  return r;
}

}  // namespace envmon::eval
