#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include "config/app_config.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "model/codec.h"
#include "model/units.h"
#include "sources/simulator/simulator_config.h"
#include "sources/simulator/simulator_source.h"

namespace envmon::sources {
namespace {

Timestamp at(const char* rfc3339) {
  return parse_rfc3339(rfc3339).value();
}

const std::vector<config::StationConfig>& default_stations() {
  static const std::vector<config::StationConfig> stations = [] {
    auto node = config::load_text(config::embedded_default_config(), "default.yaml");
    const config::KnownTypes known{{"simulator"}, {"memory"}, {"sqlite"}, {"file"}, {"memory"}, {"file"}};
    return config::parse_app_config(*node, known).value().stations;
  }();
  return stations;
}

// Everything one simulator instance needs, owned together so the spec's pointer stays valid.
struct Harness {
  config::SourceSection section;
  MetricsRegistry registry;
  ManualClock clock;
  std::unique_ptr<Source> source;

  Harness(const std::string& settings_yaml, Timestamp now, int64_t interval_secs = 300,
          std::vector<config::StationConfig> stations = default_stations())
      : clock(now) {
    section.name = "sim";
    section.type = "simulator";
    section.poll_interval_secs = interval_secs;
    section.settings = config::load_text(settings_yaml, "test.yaml").value();
    SourceSpec spec{&section, std::move(stations)};
    auto made = make_simulator_source(
        spec, ComponentContext("source", "simulator", "sim", registry, clock));
    EXPECT_TRUE(made.ok()) << made.error().message();
    if (made.ok()) source = std::move(*made);
  }

  // Polls every `step` until the clock reaches `until`, returning everything delivered.
  std::vector<Reading> run_until(Timestamp until, Millis step = Seconds(300)) {
    std::vector<Reading> out;
    while (true) {
      for (;;) {
        auto batch = source->poll();
        EXPECT_TRUE(batch.ok());
        if (!batch.ok() || batch->readings.empty()) break;
        for (auto& r : batch->readings)
          out.push_back(std::move(r));
      }
      if (clock.now() >= until) break;
      clock.set(std::min(until, clock.now() + step));
    }
    return out;
  }
};

const char* kNoFaults =
    "faults: {noise_level: 0, dropout_rate: 0, stuck_rate: 0, spike_rate: 0, out_of_bounds_rate: 0,"
    " clock_skew_rate: 0, duplicate_rate: 0, late_rate: 0, unit_mix_rate: 0}\n";

std::string settings(const std::string& start, const std::string& extra, int seed = 42) {
  return "seed: " + std::to_string(seed) + "\nstart_time: " + start +
         "\nmax_readings_per_poll: 100000\n" + extra;
}

std::vector<std::string> encode_all(const std::vector<Reading>& readings) {
  std::vector<std::string> out;
  for (const auto& r : readings)
    out.push_back(encode_reading(r));
  return out;
}

double value_of(const Reading& r, Metric m) {
  for (const auto& meas : r.measurements) {
    if (meas.metric == m) return to_canonical(m, meas.unit, meas.value).value();
  }
  return std::nan("");
}

TEST(SimulatorSourceTest, SameSeedSameBytesDifferentSeedDiffers) {
  const char* start = "2026-01-10T00:00:00Z";
  Harness a(settings(start, ""), at(start));
  Harness b(settings(start, ""), at(start));
  Harness c(settings(start, "", 7), at(start));
  for (auto* h : {&a, &b, &c})
    ASSERT_TRUE(h->source->start({}).ok());
  const Timestamp end = at("2026-01-11T00:00:00Z");
  const auto ea = encode_all(a.run_until(end));
  const auto eb = encode_all(b.run_until(end, Seconds(1234)));  // poll spacing must not matter
  const auto ec = encode_all(c.run_until(end));
  EXPECT_GT(ea.size(), 16u * 280u);
  EXPECT_EQ(ea, eb);
  EXPECT_NE(ea, ec);
  for (const auto& json : ea)
    EXPECT_EQ(json.find("aqi"), std::string::npos);
}

TEST(SimulatorSourceTest, RestartWithResumePointReplaysIdenticalReadings) {
  const char* start = "2026-03-01T00:00:00Z";
  const std::string cfg = settings(start,
                                   "resume_rewind_secs: 7200\nfaults: {late_rate: 0.05, "
                                   "duplicate_rate: 0.05, clock_skew_rate: 0.02}\n");
  const Timestamp stop_at = at("2026-03-01T17:12:00Z");
  const Timestamp end = at("2026-03-02T06:00:00Z");

  Harness whole(cfg, at(start));
  ASSERT_TRUE(whole.source->start({}).ok());
  const auto all = whole.run_until(end);

  Harness first(cfg, at(start));
  ASSERT_TRUE(first.source->start({}).ok());
  ResumePoint resume;
  for (const auto& r : first.run_until(stop_at)) {
    auto& newest = resume[r.station.id.get()];
    newest = std::max(newest, r.ingested_at);
  }
  first.source->stop();

  Harness second(cfg, stop_at);
  ASSERT_TRUE(second.source->start(resume).ok());
  const auto replayed = encode_all(second.run_until(end));

  std::vector<Reading> expected;
  for (const auto& r : all) {
    if (r.ingested_at >= resume.at(r.station.id.get()) - Seconds(7200)) expected.push_back(r);
  }
  ASSERT_FALSE(replayed.empty());
  EXPECT_EQ(replayed, encode_all(expected));
}

TEST(SimulatorSourceTest, CatchUpIsSpreadOverPollsInDeliveryOrder) {
  const char* start = "2026-05-01T00:00:00Z";
  Harness h("seed: 1\nstart_time: " + std::string(start) + "\nmax_readings_per_poll: 100\n",
            at("2026-05-01T12:00:00Z"));
  ASSERT_TRUE(h.source->start({}).ok());
  EXPECT_LE(h.source->next_poll_at(), h.clock.now());
  std::vector<Reading> all;
  int polls = 0;
  while (h.source->next_poll_at() <= h.clock.now()) {
    auto batch = h.source->poll();
    ASSERT_TRUE(batch.ok());
    EXPECT_LE(batch->readings.size(), 100u);
    if (batch->readings.empty()) break;
    ++polls;
    for (auto& r : batch->readings)
      all.push_back(std::move(r));
  }
  EXPECT_GT(polls, 20);
  for (size_t i = 1; i < all.size(); ++i)
    EXPECT_LE(all[i - 1].ingested_at, all[i].ingested_at);
  for (const auto& r : all)
    EXPECT_LE(r.ingested_at, h.clock.now());
  EXPECT_GT(h.source->next_poll_at(), h.clock.now());
}

TEST(SimulatorSourceTest, FreshStartBackfillsFromNow) {
  Harness h("seed: 3\nbackfill_secs: 3600\n", at("2026-02-01T10:02:00Z"));
  ASSERT_TRUE(h.source->start({}).ok());
  auto batch = h.source->poll();
  ASSERT_TRUE(batch.ok());
  ASSERT_FALSE(batch->readings.empty());
  for (const auto& r : batch->readings)
    EXPECT_GE(r.ingested_at, at("2026-02-01T09:02:00Z"));
  EXPECT_GE(batch->readings.size(), 16u * 11u);
}

// Summary statistics of a month of fault-free readings at 30-minute ticks.
struct Month {
  std::map<std::string, std::vector<Reading>> by_station;
};
Month run_month(const char* start, const char* end) {
  Harness h(settings(start, kNoFaults), at(start), 1800);
  EXPECT_TRUE(h.source->start({}).ok());
  Month m;
  for (auto& r : h.run_until(at(end), Seconds(86400)))
    m.by_station[r.station.id.get()].push_back(std::move(r));
  return m;
}
const Month& january() {
  static const Month m = run_month("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z");
  return m;
}
const Month& july() {
  static const Month m = run_month("2026-07-01T00:00:00Z", "2026-07-31T00:00:00Z");
  return m;
}

double local_hour(const config::StationConfig& st, Timestamp t) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(st.timezone, &tz));
  const auto cs = tz.At(absl::FromUnixMillis(to_unix_ms(t))).cs;
  return static_cast<double>(cs.hour()) + static_cast<double>(cs.minute()) / 60.0;
}

// Mean of metric m over readings whose hour (by `hour_of`) lies in [from, to).
template <typename HourFn>
double mean_in_hours(const std::vector<Reading>& rs, Metric m, double from, double to,
                     HourFn hour_of) {
  double sum = 0;
  int n = 0;
  for (const auto& r : rs) {
    const double h = hour_of(r);
    if (h >= from && h < to) {
      sum += value_of(r, m);
      ++n;
    }
  }
  EXPECT_GT(n, 0);
  return sum / n;
}
double mean_all(const std::vector<Reading>& rs, Metric m) {
  return mean_in_hours(rs, m, 0, 24, [](const Reading&) { return 0.0; });
}

TEST(SimulatorSourceTest, FaultFreeValuesArePhysicallyPlausible) {
  for (const Month* month : {&january(), &july()}) {
    ASSERT_EQ(month->by_station.size(), default_stations().size());
    for (const auto& [id, readings] : month->by_station) {
      EXPECT_EQ(readings.size(), 30u * 48u + 1u) << id;  // both ends inclusive
      for (const auto& r : readings) {
        EXPECT_EQ(r.observed_at, r.ingested_at);
        EXPECT_EQ(r.measurements.size(), 13u);
        for (const auto& meas : r.measurements) {
          EXPECT_TRUE(in_bounds(meas.metric, meas.value))
              << id << " " << metric_id(meas.metric) << "=" << meas.value;
          EXPECT_TRUE(meas.unit.empty());
        }
      }
    }
  }
}

TEST(SimulatorSourceTest, AfternoonsAreWarmerThanPreDawn) {
  for (const auto& st : default_stations()) {
    const auto& rs = january().by_station.at(st.id);
    auto solar = [&](const Reading& r) {
      const double h =
          std::fmod(static_cast<double>(to_unix_ms(r.observed_at)) / 3.6e6 + st.lon / 15.0, 24.0);
      return h < 0 ? h + 24.0 : h;
    };
    EXPECT_GT(mean_in_hours(rs, Metric::temperature, 13, 17, solar),
              mean_in_hours(rs, Metric::temperature, 3, 6, solar) + 1.0)
        << st.id;
    EXPECT_LT(mean_in_hours(rs, Metric::humidity, 13, 17, solar),
              mean_in_hours(rs, Metric::humidity, 3, 6, solar))
        << st.id;
  }
}

TEST(SimulatorSourceTest, SeasonsAndCityPollutionDiffer) {
  const auto jan = [](const char* id) { return january().by_station.at(id); };
  const auto jul = [](const char* id) { return july().by_station.at(id); };
  EXPECT_GT(mean_all(jan("delhi"), Metric::pm25), 1.5 * mean_all(jul("delhi"), Metric::pm25));
  EXPECT_GT(mean_all(jan("delhi"), Metric::pm25), 5 * mean_all(jan("london"), Metric::pm25));
  EXPECT_GT(mean_all(jan("delhi"), Metric::pm25), 10 * mean_all(jan("reykjavik"), Metric::pm25));
  // Southern hemisphere seasons are inverted.
  EXPECT_LT(mean_all(jan("london"), Metric::temperature),
            mean_all(jul("london"), Metric::temperature) - 5);
  EXPECT_GT(mean_all(jan("sydney"), Metric::temperature),
            mean_all(jul("sydney"), Metric::temperature) + 3);
  EXPECT_GT(mean_all(jan("sao-paulo"), Metric::temperature),
            mean_all(jul("sao-paulo"), Metric::temperature));
  double rain = 0;
  for (const auto& r : jul("mumbai"))
    rain += value_of(r, Metric::precipitation);
  EXPECT_GT(rain, 50.0);  // monsoon
}

TEST(SimulatorSourceTest, RushHourNo2ExceedsNightAndOzonePeaksInAfternoon) {
  for (const auto& st : default_stations()) {
    const auto& rs = july().by_station.at(st.id);
    auto civil = [&](const Reading& r) { return local_hour(st, r.observed_at); };
    const double rush = (mean_in_hours(rs, Metric::no2, 8, 10, civil) +
                         mean_in_hours(rs, Metric::no2, 18, 21, civil)) /
                        2;
    EXPECT_GT(rush, mean_in_hours(rs, Metric::no2, 3, 4, civil)) << st.id;
    EXPECT_GT(mean_in_hours(rs, Metric::o3, 13, 17, civil),
              mean_in_hours(rs, Metric::o3, 1, 5, civil))
        << st.id;
  }
}

TEST(SimulatorSourceTest, FaultRatesRoughlyAsConfigured) {
  const char* start = "2026-04-01T00:00:00Z";
  Harness h(
      settings(start,
               "faults: {dropout_rate: 0.04, stuck_rate: 0.03, spike_rate: 0.02, "
               "out_of_bounds_rate: 0.02,"
               " clock_skew_rate: 0.02, duplicate_rate: 0.02, late_rate: 0.03, unit_mix_rate: 0.03,"
               " late_delay_max_secs: 3600}\n"),
      at(start));
  ASSERT_TRUE(h.source->start({}).ok());
  const auto rs = h.run_until(at("2026-04-08T00:00:00Z"), Seconds(3600));
  const double ticks = 16.0 * 7 * 288;
  std::map<std::string, int> copies;
  int skewed = 0, late = 0, kelvin = 0, out_of_bounds = 0, measurements = 0;
  for (const auto& r : rs) {
    const std::string key = r.station.id.get() + "@" + std::to_string(to_unix_ms(r.observed_at));
    if (++copies[key] > 1) continue;
    const auto tick = floor_to(r.observed_at, Seconds(300));
    if (r.observed_at != tick) ++skewed;  // skews are whole seconds, rarely multiples of 5 min
    if (r.ingested_at > r.observed_at + Seconds(60) && r.observed_at == tick) ++late;
    for (const auto& m : r.measurements) {
      ++measurements;
      if (m.unit == "K") ++kelvin;
      if (!in_bounds(m.metric, to_canonical(m.metric, m.unit, m.value).value())) ++out_of_bounds;
    }
  }
  int dups = 0;
  for (const auto& [k, n] : copies)
    dups += n - 1;
  auto near = [](double observed, double expected) {
    return observed > 0.6 * expected && observed < 1.5 * expected;
  };
  EXPECT_TRUE(near(static_cast<double>(rs.size()) - dups, ticks * (1 - 0.02))) << rs.size();
  EXPECT_TRUE(near(dups, ticks * 0.02)) << dups;
  EXPECT_TRUE(near(skewed, ticks * 0.02)) << skewed;
  EXPECT_TRUE(near(late, ticks * 0.03)) << late;
  EXPECT_TRUE(near(kelvin, ticks * 0.03 * 2 / 3)) << kelvin;
  EXPECT_TRUE(near(out_of_bounds, ticks * 13 * 0.02)) << out_of_bounds;
  EXPECT_TRUE(near(ticks * 13 - measurements, ticks * 13 * 0.04)) << measurements;
}

TEST(SimulatorSourceTest, StuckRunsRepeatOneValue) {
  const char* start = "2026-04-01T00:00:00Z";
  std::string stuck_only = kNoFaults;
  stuck_only.replace(stuck_only.find("noise_level: 0"), 14, "noise_level: 1");
  stuck_only.replace(stuck_only.find("stuck_rate: 0"), 13, "stuck_rate: 0.1");
  Harness h(settings(start, stuck_only), at(start));
  ASSERT_TRUE(h.source->start({}).ok());
  std::map<std::string, std::vector<double>> series;
  for (const auto& r : h.run_until(at("2026-04-06T00:00:00Z"), Seconds(3600))) {
    series[r.station.id.get()].push_back(value_of(r, Metric::temperature));
  }
  int repeats = 0;
  int total = 0;
  for (const auto& [id, values] : series) {
    total += static_cast<int>(values.size());
    for (size_t i = 1; i < values.size(); ++i)
      repeats += values[i] == values[i - 1] ? 1 : 0;
  }
  // Noise at 0.01 degC resolution makes natural repeats rare; stuck runs repeat ~10%.
  const double expected = total * 0.1;
  EXPECT_GT(repeats, 0.6 * expected);
  EXPECT_LT(repeats, 1.5 * expected);
}

TEST(SimulatorSourceTest, UnitMixRoundTripsThroughNormalisation) {
  const char* start = "2026-04-01T00:00:00Z";
  std::string mix_all = kNoFaults;
  mix_all.replace(mix_all.find("unit_mix_rate: 0"), 16, "unit_mix_rate: 1");
  Harness mixed(settings(start, mix_all), at(start));
  Harness plain(settings(start, kNoFaults), at(start));
  ASSERT_TRUE(mixed.source->start({}).ok());
  ASSERT_TRUE(plain.source->start({}).ok());
  const auto a = mixed.run_until(at("2026-04-01T06:00:00Z"));
  const auto b = plain.run_until(at("2026-04-01T06:00:00Z"));
  ASSERT_EQ(a.size(), b.size());
  int converted = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (const Metric m : {Metric::temperature, Metric::wind_speed}) {
      EXPECT_NEAR(value_of(a[i], m), value_of(b[i], m), 0.01);
    }
    for (const auto& meas : a[i].measurements)
      converted += meas.unit.empty() ? 0 : 1;
  }
  EXPECT_GT(converted, static_cast<int>(a.size()));
}

Result<std::unique_ptr<Source>> build(const std::string& yaml) {
  static MetricsRegistry registry;
  static ManualClock clock(at("2026-01-01T00:00:00Z"));
  config::SourceSection section;
  section.name = "sim";
  section.type = "simulator";
  section.settings = config::load_text(yaml, "bad.yaml").value();
  return make_simulator_source(SourceSpec{&section, default_stations()},
                               ComponentContext("source", "simulator", "sim", registry, clock));
}

TEST(SimulatorConfigTest, ErrorsNameTheKey) {
  auto unknown = build("seed: 1\nsede: 2\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("bad.yaml:2"), std::string::npos)
      << unknown.error().message();
  EXPECT_NE(unknown.error().message().find("sede"), std::string::npos);
  EXPECT_EQ(unknown.error().code(), Errc::config_unknown_key);

  auto rate = build("faults:\n  spike_rate: 1.5\n");
  ASSERT_FALSE(rate.ok());
  EXPECT_NE(rate.error().message().find("spike_rate"), std::string::npos) << rate.error().message();
  EXPECT_NE(rate.error().message().find("bad.yaml:2"), std::string::npos) << rate.error().message();

  auto nested = build("faults: {spikes: 0.1}\n");
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message().find("spikes"), std::string::npos);

  auto time = build("start_time: yesterday\n");
  ASSERT_FALSE(time.ok());
  EXPECT_NE(time.error().message().find("start_time"), std::string::npos) << time.error().message();

  EXPECT_TRUE(build("seed: 5\n").ok());
}

TEST(SimulatorConfigTest, SampleParsesAndDocsListBothSections) {
  auto node =
      config::load_file(std::string(ENVMON_SOURCE_DIR) + "/src/sources/simulator/sample.yaml");
  ASSERT_TRUE(node.ok()) << node.error().message();
  auto cfg = sim::parse_simulator_config(node->child("simulator"));
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  const auto docs = sim::simulator_schema_docs();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].section, "sources[].simulator");
  EXPECT_EQ(docs[1].section, "sources[].simulator.faults");
  EXPECT_EQ(docs[1].fields.size(), 10u);
}

}  // namespace
}  // namespace envmon::sources
