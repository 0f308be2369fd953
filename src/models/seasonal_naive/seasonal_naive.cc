#include "models/seasonal_naive/seasonal_naive.h"

#include <cmath>


namespace envmon::models {
namespace {

constexpr int kMaxSeasonsBack = 7;
constexpr std::string_view kKind = "seasonal_naive";
constexpr int64_t kVersion = 1;

}  // namespace

std::vector<double> seasonal_naive_mean(std::span<const double> y, int period, int horizon) {
  std::vector<double> out(static_cast<size_t>(horizon), std::nan(""));
  const auto n = static_cast<int64_t>(y.size());
  for (int h = 1; h <= horizon; ++h) {
    int64_t idx = n - 1 + h - period * ((h + period - 1) / period);
    for (int back = 0; back < kMaxSeasonsBack && idx >= 0; ++back, idx -= period) {
      if (std::isfinite(y[static_cast<size_t>(idx)])) {
        out[static_cast<size_t>(h - 1)] = y[static_cast<size_t>(idx)];
        break;
      }
    }
  }
  return out;
}

Status SeasonalNaive::fit(const History& history) {
  const auto period = static_cast<size_t>(config_.period_hours);
  const History w = history.tail(static_cast<size_t>(config_.interval_window_hours) + period);
  if (count_finite(w.y) < 2 * period) {
    return Error(Errc::invalid_argument, "seasonal_naive: fewer than two seasons of data");
  }
  std::vector<double> errors;
  for (size_t t = period; t < w.y.size(); ++t) errors.push_back(w.y[t] - w.y[t - period]);
  intervals_ = StepQuantiles::from_errors({errors});
  return ok_status();
}

Result<Forecast> SeasonalNaive::predict(const History& history, int horizon) const {
  return intervals_.around(
      seasonal_naive_mean(history.y, static_cast<int>(config_.period_hours), horizon));
}

std::string SeasonalNaive::save() const {
  return wrap_body(kKind, kVersion,
                   {{"period_hours", config_.period_hours},
                    {"interval_window_hours", config_.interval_window_hours},
                    {"lower", intervals_.lower},
                    {"upper", intervals_.upper}});
}

Result<std::unique_ptr<SeasonalNaive>> SeasonalNaive::load(std::string_view bytes) {
  return unwrap_body<std::unique_ptr<SeasonalNaive>>(
      bytes, kKind, kVersion, [](const nlohmann::json& body) {
        SeasonalNaiveConfig c;
        c.period_hours = body.at("period_hours").get<int64_t>();
        c.interval_window_hours = body.at("interval_window_hours").get<int64_t>();
        auto m = std::make_unique<SeasonalNaive>(c);
        m->intervals_.lower = body.at("lower").get<std::vector<double>>();
        m->intervals_.upper = body.at("upper").get<std::vector<double>>();
        return m;
      });
}

}  // namespace envmon::models
