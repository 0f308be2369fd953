#include "models/holt_winters/holt_winters.h"

#include <cmath>
#include <limits>

namespace envmon::models {
namespace {

constexpr std::string_view kKind = "holt_winters";
constexpr int64_t kVersion = 1;
constexpr int kErrorHorizon = 24;  // steps of in-sample errors kept for the intervals

struct State {
  double level = 0, trend = 0;
  std::vector<double> season;
};

struct Filter {
  const HoltWintersParams& p;
  double phi;
  size_t m;

  // The h-step forecast from a state whose next season slot is `pos`.
  double ahead(const State& s, size_t pos, int h) const {
    double damp = 0, f = 1;
    for (int j = 1; j <= h; ++j) {
      f *= phi;
      damp += f;
    }
    return s.level + damp * s.trend + s.season[(pos + static_cast<size_t>(h) - 1) % m];
  }

  // Initial state from the first two seasons (NaN skipped).
  State init(std::span<const double> y) const {
    State s;
    s.season.assign(m, 0);
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < std::min(y.size(), 2 * m); ++i) {
      if (std::isfinite(y[i])) sum += y[i], ++n;
    }
    s.level = n ? sum / n : 0;
    for (size_t i = 0; i < std::min(y.size(), 2 * m); ++i) {
      if (std::isfinite(y[i])) s.season[i % m] += (y[i] - s.level) / 2;
    }
    return s;
  }

  // One observation; a missing one advances the state on its own forecast.
  double step(State& s, size_t pos, double y) const {
    const double pred = ahead(s, pos, 1);
    const double prev_level = s.level;
    const double x = std::isfinite(y) ? y : pred;
    const double sea = s.season[pos % m];
    s.level = p.alpha * (x - sea) + (1 - p.alpha) * (prev_level + phi * s.trend);
    s.trend = p.beta * (s.level - prev_level) + (1 - p.beta) * phi * s.trend;
    s.season[pos % m] = p.gamma * (x - s.level) + (1 - p.gamma) * sea;
    return std::isfinite(y) ? y - pred : std::nan("");
  }

  // Runs over y; returns the one-step SSE and the final state. `errors` (optional) collects
  // in-sample errors per step ahead after the warm-up.
  double run(std::span<const double> y, State& s, std::vector<std::vector<double>>* errors) const {
    s = init(y);
    double sse = 0;
    for (size_t t = 0; t < y.size(); ++t) {
      if (errors != nullptr && t >= 2 * m) {
        for (int h = 1; h <= kErrorHorizon && t + static_cast<size_t>(h) - 1 < y.size(); ++h) {
          const double actual = y[t + static_cast<size_t>(h) - 1];
          if (std::isfinite(actual)) (*errors)[static_cast<size_t>(h - 1)].push_back(actual - ahead(s, t, h));
        }
      }
      const double e = step(s, t, y[t]);
      if (std::isfinite(e) && t >= m) sse += e * e;
    }
    return sse;
  }
};

}  // namespace

Status HoltWinters::fit(const History& history) {
  const History w = history.tail(static_cast<size_t>(config_.window_hours));
  const auto m = static_cast<size_t>(config_.period_hours);
  if (count_finite(w.y) < 3 * m) {
    return Error(Errc::invalid_argument, "holt_winters: fewer than three seasons of data");
  }
  double best = std::numeric_limits<double>::infinity();
  for (double a : {0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9}) {
    for (double b : {0.0, 0.01, 0.05}) {
      for (double g : {0.02, 0.05, 0.1, 0.2, 0.4}) {
        const HoltWintersParams p{a, b, g};
        State s;
        const double sse = Filter{p, config_.damping, m}.run(w.y, s, nullptr);
        if (sse < best) best = sse, params_ = p;
      }
    }
  }
  std::vector<std::vector<double>> errors(kErrorHorizon);
  State s;
  Filter{params_, config_.damping, m}.run(w.y, s, &errors);
  intervals_ = StepQuantiles::from_errors(errors);
  return ok_status();
}

Result<Forecast> HoltWinters::predict(const History& history, int horizon) const {
  const History w = history.tail(static_cast<size_t>(config_.window_hours));
  const auto m = static_cast<size_t>(config_.period_hours);
  const Filter f{params_, config_.damping, m};
  State s;
  f.run(w.y, s, nullptr);
  std::vector<double> mean;
  for (int h = 1; h <= horizon; ++h) mean.push_back(f.ahead(s, w.y.size(), h));
  return intervals_.around(std::move(mean));
}

std::string HoltWinters::save() const {
  return wrap_body(kKind, kVersion,
                   {{"period_hours", config_.period_hours},
                    {"window_hours", config_.window_hours},
                    {"damping", config_.damping},
                    {"alpha", params_.alpha},
                    {"beta", params_.beta},
                    {"gamma", params_.gamma},
                    {"lower", intervals_.lower},
                    {"upper", intervals_.upper}});
}

Result<std::unique_ptr<HoltWinters>> HoltWinters::load(std::string_view bytes) {
  return unwrap_body<std::unique_ptr<HoltWinters>>(
      bytes, kKind, kVersion, [](const nlohmann::json& b) {
        HoltWintersConfig c;
        c.period_hours = b.at("period_hours").get<int64_t>();
        c.window_hours = b.at("window_hours").get<int64_t>();
        c.damping = b.at("damping").get<double>();
        auto m = std::make_unique<HoltWinters>(c);
        m->params_ = {b.at("alpha").get<double>(), b.at("beta").get<double>(),
                      b.at("gamma").get<double>()};
        m->intervals_.lower = b.at("lower").get<std::vector<double>>();
        m->intervals_.upper = b.at("upper").get<std::vector<double>>();
        return m;
      });
}

}  // namespace envmon::models
