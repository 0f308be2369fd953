#pragma once

#include <chrono>
#include <memory>

#include "core/time.h"

namespace envmon {

// Sources and sinks read time through a Clock so the demo can run a simulated day in minutes
// (`--speed N`) and tests can step time by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
  // How much real time passes for `simulated` of clock time (sleep budgets for pollers).
  virtual std::chrono::steady_clock::duration real_duration(Millis simulated) const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
  std::chrono::steady_clock::duration real_duration(Millis simulated) const override {
    return simulated;
  }
};

// Simulated time: starts at `start` and advances `speed` simulated seconds per real second.
class ScaledClock final : public Clock {
 public:
  ScaledClock(Timestamp start, double speed)
      : start_(start), speed_(speed), origin_(std::chrono::steady_clock::now()) {}
  Timestamp now() const override {
    const auto real = std::chrono::steady_clock::now() - origin_;
    const auto sim = std::chrono::duration<double, std::milli>(real) * speed_;
    return start_ + Millis(static_cast<int64_t>(sim.count()));
  }
  std::chrono::steady_clock::duration real_duration(Millis simulated) const override {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double, std::milli>(static_cast<double>(simulated.count()) / speed_));
  }
  double speed() const { return speed_; }

 private:
  Timestamp start_;
  double speed_;
  std::chrono::steady_clock::time_point origin_;
};

// A clock moved only by the test that owns it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp now() const override { return now_; }
  std::chrono::steady_clock::duration real_duration(Millis) const override { return {}; }
  void advance(Millis d) { now_ += d; }
  void set(Timestamp t) { now_ = t; }

 private:
  Timestamp now_;
};

}  // namespace envmon
