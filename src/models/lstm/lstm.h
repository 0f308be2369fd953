#pragma once

#include <memory>

#include "models/forecaster/forecaster.h"

namespace envmon::models {

// A sequence model on libtorch: an LSTM reads the last `input_hours` (standardised target, a
// missing flag, hour and weekday on the unit circle) and a linear head emits all `horizon`
// steps at once (direct multi-step), relative to the last observed value so it follows the
// level. Small and CPU-only on purpose: a few epochs, fixed seeds, one or two threads, so a
// fit takes seconds and is repeatable. Trained once, it forecasts from any later origin.
// Intervals: per-step error quantiles on windows held out from training. Torch stays inside
// lstm.cc; this header is plain C++.
struct LstmConfig {
  int64_t input_hours = 48;
  int64_t hidden = 32;
  int64_t layers = 1;
  int64_t horizon = 24;
  int64_t epochs = 6;
  int64_t batch = 64;
  double learning_rate = 3e-3;
  int64_t train_hours = 180 * 24;  // the most recent history that training windows come from
  int64_t stride_hours = 3;        // between training windows
  double holdout_fraction = 0.15;  // the last windows, kept out of training, calibrate intervals
  int64_t threads = 1;
  uint64_t seed = 42;
};

class Lstm final : public Forecaster {
 public:
  explicit Lstm(LstmConfig config = {});
  ~Lstm() override;
  Lstm(Lstm&&) noexcept;
  Lstm& operator=(Lstm&&) noexcept;

  std::string_view name() const override { return "lstm"; }
  Status fit(const History& history) override;
  Result<Forecast> predict(const History& history, int horizon) const override;
  bool refit_each_origin() const override { return false; }
  std::string save() const override;
  static Result<std::unique_ptr<Lstm>> load(std::string_view bytes);

  double last_training_loss() const { return last_loss_; }

 private:
  struct Net;
  LstmConfig config_;
  std::unique_ptr<Net> net_;
  double mean_ = 0, std_ = 1;
  double last_loss_ = 0;
  StepQuantiles intervals_;
};

}  // namespace envmon::models
