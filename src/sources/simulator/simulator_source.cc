#include "sources/simulator/simulator_source.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <absl/time/time.h>

#include "sources/simulator/generator.h"
#include "sources/simulator/simulator_config.h"

namespace envmon::sources {
namespace {

using sim::Delivery;

// Heap order: the earliest delivery on top.
bool heap_later(const Delivery& a, const Delivery& b) {
  return sim::delivered_before(b, a);
}

// Ticks are multiples of the interval since the epoch; each delivery is decided per tick, so a
// restart only has to know where to begin emitting. Pending deliveries wait in a min-heap until
// the clock passes their delivery time.
class SimulatorSource final : public Source {
 public:
  SimulatorSource(sim::SimulatorConfig cfg, const SourceSpec& spec, ComponentContext ctx)
      : cfg_(std::move(cfg)),
        source_id_(spec.section->name),
        interval_secs_(std::max<int64_t>(1, spec.section->poll_interval_secs)),
        station_configs_(spec.stations),
        ctx_(std::move(ctx)) {}

  Status start(const ResumePoint& resume) override;
  Result<SourceBatch> poll() override;
  Timestamp next_poll_at() const override;
  void stop() override {
    started_ = false;
    pending_.clear();
  }

 private:
  Timestamp cursor_time() const { return Timestamp(Seconds(cursor_secs_)); }
  void build_stations();
  void generate_until(Timestamp now, size_t cap);
  void push(Delivery d);
  Delivery pop();

  sim::SimulatorConfig cfg_;
  SourceId source_id_;
  int64_t interval_secs_;
  std::vector<config::StationConfig> station_configs_;
  ComponentContext ctx_;

  std::vector<sim::SimStation> stations_;
  std::vector<Timestamp> emit_from_;  // per station: earliest delivery time to emit
  int64_t cursor_secs_ = 0;           // next tick to generate
  std::vector<Delivery> pending_;     // min-heap by delivery order
  std::vector<Delivery> scratch_;
  bool started_ = false;
};

void SimulatorSource::build_stations() {
  stations_.clear();
  for (const auto& sc : station_configs_) {
    sim::SimStation s;
    s.profile = sim::make_station_profile(sc, static_cast<uint64_t>(cfg_.seed));
    s.ref = StationRef{StationId(sc.id), sc.name, sc.lat, sc.lon};
    // A zone missing from the tz database falls back to the longitude's mean-solar offset.
    if (sc.timezone.empty() || !absl::LoadTimeZone(sc.timezone, &s.zone)) {
      s.zone = absl::FixedTimeZone(static_cast<int>(std::lround(sc.lon / 15.0)) * 3600);
      ctx_.log.warn("unknown time zone, using longitude offset",
                    {{"station", sc.id}, {"timezone", sc.timezone}});
    }
    stations_.push_back(std::move(s));
  }
}

Status SimulatorSource::start(const ResumePoint& resume) {
  build_stations();
  const Timestamp now = ctx_.clock->now();
  Timestamp fresh_start = now - Seconds(cfg_.backfill_secs);
  if (!cfg_.start_time.empty()) {
    auto t = parse_rfc3339(cfg_.start_time);
    if (!t.ok()) return t.error().with_context("simulator.start_time");
    fresh_start = *t;
  }
  emit_from_.clear();
  Timestamp earliest = Timestamp::max();
  for (const auto& s : stations_) {
    const auto it = resume.find(s.ref.id.get());
    const Timestamp from =
        it != resume.end() ? it->second - Seconds(cfg_.resume_rewind_secs) : fresh_start;
    emit_from_.push_back(from);
    earliest = std::min(earliest, from);
  }
  if (stations_.empty()) earliest = fresh_start;
  // Late readings of ticks before the start point may be delivered after it: look back.
  const Timestamp first = earliest - Seconds(cfg_.faults.late_delay_max_secs);
  cursor_secs_ = to_unix_ms(floor_to(first, Seconds(interval_secs_))) / 1000;
  pending_.clear();
  started_ = true;
  ctx_.log.info("simulator started", {{"stations", stations_.size()},
                                      {"from", format_rfc3339(earliest)},
                                      {"resumed", resume.size()},
                                      {"seed", cfg_.seed}});
  return ok_status();
}

void SimulatorSource::push(Delivery d) {
  pending_.push_back(std::move(d));
  std::push_heap(pending_.begin(), pending_.end(), heap_later);
}

Delivery SimulatorSource::pop() {
  std::pop_heap(pending_.begin(), pending_.end(), heap_later);
  Delivery d = std::move(pending_.back());
  pending_.pop_back();
  return d;
}

void SimulatorSource::generate_until(Timestamp now, size_t cap) {
  const sim::TickContext tick_ctx{&source_id_, &cfg_.faults, interval_secs_};
  while (cursor_time() <= now && pending_.size() < cap) {
    scratch_.clear();
    for (size_t i = 0; i < stations_.size(); ++i) {
      sim::generate_tick(stations_[i], i, tick_ctx, cursor_secs_, scratch_);
    }
    for (auto& d : scratch_) {
      if (d.at >= emit_from_[d.station_index]) push(std::move(d));
    }
    cursor_secs_ += interval_secs_;
  }
}

Result<SourceBatch> SimulatorSource::poll() {
  if (!started_)
    return Error(Errc::internal, "simulator " + source_id_.get() + ": poll() before start()");
  const Timestamp now = ctx_.clock->now();
  const auto max = static_cast<size_t>(cfg_.max_readings_per_poll);
  // Deliveries still ahead of the cursor come from the last late_delay_max_secs of ticks (two
  // copies at most each): keep that many in reserve so at least `max` are safe to emit.
  const auto window_ticks =
      static_cast<size_t>((cfg_.faults.late_delay_max_secs + 90) / interval_secs_ + 2);
  generate_until(now, max + 2 * stations_.size() * window_ticks);
  // A delivery at or after the cursor could still be preceded by one not generated yet.
  const Timestamp bound = std::min(now, cursor_time() - Millis(1));
  SourceBatch batch;
  while (!pending_.empty() && batch.readings.size() < max && pending_.front().at <= bound) {
    batch.readings.push_back(pop().reading);
  }
  return batch;
}

Timestamp SimulatorSource::next_poll_at() const {
  if (!started_) return ctx_.clock->now();
  const Timestamp next_tick = cursor_time();
  if (pending_.empty()) return next_tick;
  return std::min(pending_.front().at, next_tick);
}

}  // namespace

Result<std::unique_ptr<Source>> make_simulator_source(const SourceSpec& spec,
                                                      ComponentContext ctx) {
  if (spec.section == nullptr) return Error(Errc::internal, "simulator: missing source section");
  auto cfg = sim::parse_simulator_config(spec.section->settings);
  if (!cfg.ok()) return cfg.error();
  return std::unique_ptr<Source>(
      std::make_unique<SimulatorSource>(std::move(*cfg), spec, std::move(ctx)));
}

}  // namespace envmon::sources
