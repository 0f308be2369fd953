#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "features/raw_frame.h"

namespace envmon::models {

// The central interval every forecaster reports (80%: the 10% and 90% quantiles).
inline constexpr double kIntervalLevel = 0.8;
inline constexpr double kLowerQuantile = 0.1;
inline constexpr double kUpperQuantile = 0.9;

// An hourly target up to a forecast origin (exclusive), with optional covariates.
struct History {
  std::span<const double> y;  // NaN = missing
  int64_t start_unix = 0;     // UTC time of y[0]
  int utc_offset_secs = 0;    // local time for calendar terms
  // Covariates on the same grid (frame index 0 = y[0]). May run past the origin; a model that
  // reads covariates past the origin says so (they are then an oracle, a perfect weather forecast).
  const features::RawFrame* frame = nullptr;
  size_t frame_offset = 0;  // frame index of y[0]

  size_t size() const { return y.size(); }
  int64_t time_at(size_t i) const { return start_unix + static_cast<int64_t>(i) * 3600; }
  // The last `n` hours (all when shorter), with the time and the frame offset kept consistent.
  History tail(size_t n) const;
};

struct Forecast {
  std::vector<double> mean, lower, upper;  // one per step ahead; lower/upper = 80% interval
};

// A forecasting model. fit() learns parameters from a history; predict() forecasts the hours
// after the end of any history (which may be longer than the one fit() saw: models that are
// expensive to train, like the LSTM, fit once and predict from later origins).
class Forecaster {
 public:
  virtual ~Forecaster() = default;
  virtual std::string_view name() const = 0;
  virtual Status fit(const History& history) = 0;
  virtual Result<Forecast> predict(const History& history, int horizon) const = 0;
  // true: a backtest refits at every origin (cheap models, or models whose state is the fit).
  virtual bool refit_each_origin() const { return true; }
  // The model as bytes in the versioned envelope of registry/model_format.h.
  virtual std::string save() const = 0;
};

// The q-quantile (linear interpolation) of the finite values; NaN when there are none.
double quantile(std::vector<double> values, double q);

// Empirical interval offsets per step ahead from in-sample forecast errors (actual - forecast):
// the 10% and 90% quantiles of the errors seen at each step.
struct StepQuantiles {
  std::vector<double> lower, upper;  // index = step - 1
  static StepQuantiles from_errors(const std::vector<std::vector<double>>& errors_by_step);
  // Applies the offsets to a mean forecast (the last step's offsets for steps beyond).
  Forecast around(std::vector<double> mean) const;
};

// Saved-model bodies: `wrap` puts a JSON body in the versioned envelope; `unwrap` checks the
// envelope and hands the body to `read`, turning missing or mistyped fields into decode errors
// that name the model kind.
std::string wrap_body(std::string_view kind, int64_t version, const nlohmann::json& body);
Result<nlohmann::json> parse_body(std::string_view bytes, std::string_view kind, int64_t version);
template <typename T, typename Read>
Result<T> unwrap_body(std::string_view bytes, std::string_view kind, int64_t version, Read read) {
  auto body = parse_body(bytes, kind, version);
  if (!body.ok()) return body.error();
  try {
    return read(*body);
  } catch (const nlohmann::json::exception& e) {
    return Error(Errc::decode_field, std::string(kind) + " model: " + e.what());
  }
}

// Finite values count (targets with too few cannot be fit).
size_t count_finite(std::span<const double> y);

}  // namespace envmon::models
