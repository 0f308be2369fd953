#include "sources/simulator/generator.h"

#include <cmath>
#include <tuple>

#include <absl/time/civil_time.h>

#include "sources/simulator/climate.h"
#include "sources/simulator/faults.h"
#include "sources/simulator/pollution.h"

namespace envmon::sources::sim {
namespace {

LocalTime local_time(const absl::TimeZone& zone, int64_t t_secs) {
  const absl::TimeZone::CivilInfo info = zone.At(absl::FromUnixSeconds(t_secs));
  const absl::Weekday day = absl::GetWeekday(info.cs);
  return {static_cast<double>(info.cs.hour()) + static_cast<double>(info.cs.minute()) / 60.0,
          day == absl::Weekday::saturday || day == absl::Weekday::sunday};
}

// Sensors report a fixed number of decimals; rounding also makes encodings short and stable.
double quantize(Metric m, double v) {
  double step = 0.1;
  switch (m) {
    case Metric::temperature:
    case Metric::wind_speed:
    case Metric::precipitation:
      step = 0.01;
      break;
    case Metric::wind_direction:
    case Metric::cloud_cover:
      step = 1.0;
      break;
    default:
      break;
  }
  const double q = std::round(v / step) * step;
  return std::round(q * 100.0) / 100.0;  // strip binary fuzz such as 21.300000000000001
}

// What the sensor would report before any fault beyond noise.
double sensed_value(const SimStation& s, const TickContext& ctx, Metric m, int64_t tick,
                    const MetricValues& clean) {
  return quantize(m, add_sensor_noise(*ctx.faults, s.profile.key, m, tick, clean[metric_index(m)]));
}

// The reported value of metric m with stuck runs, spikes and impossible values applied;
// nullopt when the measurement is missing.
std::optional<double> reported_value(const SimStation& s, const TickContext& ctx, Metric m,
                                     int64_t tick, const MetricValues& clean) {
  const uint64_t key = s.profile.key;
  switch (decide_measurement_fault(*ctx.faults, key, m, tick)) {
    case MeasurementFault::dropout:
      return std::nullopt;
    case MeasurementFault::spike:
      return quantize(m, spike_value(key, m, tick, clean[metric_index(m)]));
    case MeasurementFault::out_of_bounds:
      return quantize(m, out_of_bounds_value(key, m, tick));
    case MeasurementFault::none:
      break;
  }
  if (auto first = stuck_source_tick(*ctx.faults, key, m, tick, ctx.interval_secs)) {
    return sensed_value(s, ctx, m, *first, simulate_clean(s, *first, ctx.interval_secs));
  }
  return sensed_value(s, ctx, m, tick, clean);
}

Measurement make_measurement(Metric m, double value, const ReadingFaults& rf) {
  Measurement out;
  out.metric = m;
  out.value = value;
  if (m == Metric::temperature && rf.temperature_in_kelvin) {
    out.value = std::round((value + 273.15) * 100.0) / 100.0;
    out.unit = "K";
  } else if (m == Metric::wind_speed && rf.wind_in_kmh) {
    out.value = std::round(value * 3.6 * 100.0) / 100.0;
    out.unit = "km/h";
  }
  return out;
}

}  // namespace

MetricValues simulate_clean(const SimStation& s, int64_t tick_secs, int64_t interval_secs) {
  const Weather w = simulate_weather(s.profile, tick_secs, interval_secs);
  const Pollution p = simulate_pollution(s.profile, w, local_time(s.zone, tick_secs), tick_secs);
  MetricValues v{};
  v[metric_index(Metric::temperature)] = w.temperature;
  v[metric_index(Metric::humidity)] = w.humidity;
  v[metric_index(Metric::pressure)] = w.pressure;
  v[metric_index(Metric::wind_speed)] = w.wind_speed;
  v[metric_index(Metric::wind_direction)] = w.wind_direction;
  v[metric_index(Metric::precipitation)] = w.precipitation;
  v[metric_index(Metric::cloud_cover)] = w.cloud_cover;
  v[metric_index(Metric::pm25)] = p.pm25;
  v[metric_index(Metric::pm10)] = p.pm10;
  v[metric_index(Metric::o3)] = p.o3;
  v[metric_index(Metric::no2)] = p.no2;
  v[metric_index(Metric::so2)] = p.so2;
  v[metric_index(Metric::co)] = p.co;
  return v;
}

bool delivered_before(const Delivery& a, const Delivery& b) {
  return std::tie(a.at, a.tick_secs, a.station_index, a.copy) <
         std::tie(b.at, b.tick_secs, b.station_index, b.copy);
}

void generate_tick(const SimStation& s, size_t station_index, const TickContext& ctx,
                   int64_t tick_secs, std::vector<Delivery>& out) {
  const ReadingFaults rf = decide_reading_faults(*ctx.faults, s.profile.key, tick_secs);
  if (rf.dropped) return;
  const MetricValues clean = simulate_clean(s, tick_secs, ctx.interval_secs);
  Delivery d;
  d.at = Timestamp(Seconds(tick_secs + rf.delay_secs));
  d.tick_secs = tick_secs;
  d.station_index = station_index;
  d.reading.source = *ctx.source;
  d.reading.station = s.ref;
  d.reading.observed_at = Timestamp(Seconds(tick_secs + rf.skew_secs));
  d.reading.ingested_at = d.at;
  d.reading.measurements.reserve(kSimulatedMetrics.size());
  for (const Metric m : kSimulatedMetrics) {
    if (auto v = reported_value(s, ctx, m, tick_secs, clean)) {
      d.reading.measurements.push_back(make_measurement(m, *v, rf));
    }
  }
  if (d.reading.measurements.empty()) return;  // every sensor dropped out: nothing to send
  if (rf.duplicate) {
    Delivery second = d;
    second.copy = 1;
    second.at += Seconds(rf.duplicate_gap_secs);
    second.reading.ingested_at = second.at;
    out.push_back(std::move(second));
  }
  out.push_back(std::move(d));
}

}  // namespace envmon::sources::sim
