#include "integration/kafka/kafka_harness.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <sqlite3.h>
#include <unistd.h>

#include "bus/kafka/kafka_bus.h"
#include "config/app_config.h"
#include "config/node.h"
#include "model/codec.h"

namespace envmon::kafka_test {
namespace {

std::vector<config::StationConfig> default_stations() {
  auto node = config::load_text(config::embedded_default_config(), "default.yaml");
  config::KnownTypes known{{"simulator"}, {"memory"}, {"sqlite"}, {"file"}, {"memory"}, {"file"}};
  auto app = config::parse_app_config(*node, known);
  return app.ok() ? app->stations : std::vector<config::StationConfig>{};
}

std::string run_capture(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

void add_aggregate(HourlyAggregates& out, const Aggregate& a) {
  if (a.bucket != Seconds(3600)) return;
  out[{a.station.get(), std::string(metric_id(a.metric)), to_unix_ms(a.bucket_start) / 1000}] = {
      a.count, a.mean};
}

}  // namespace

KafkaHarness::KafkaHarness(const std::string& name) {
  const char* bootstrap = std::getenv("ENVMON_KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr) return;
  dir_ = e2e::make_temp_dir("envmon-kafka-" + name);
  prefix_ = "it" + std::to_string(::getpid()) + "-" + name + ".";
  // The members read configs/kafka.yaml as a user would; its bus block takes these variables.
  ::setenv("KAFKA_BOOTSTRAP", bootstrap, 1);
  ::setenv("KAFKA_TOPIC_PREFIX", prefix_.c_str(), 1);
  config_ = std::string(ENVMON_SOURCE_DIR) + "/configs/kafka.yaml";
  bus::KafkaBusConfig cfg;
  cfg.bootstrap_servers = bootstrap;
  cfg.topic_prefix = prefix_;
  cfg.linger_ms = 5;
  auto bus = bus::make_kafka_bus(cfg);
  if (!bus.ok()) return;
  auto producer = (*bus)->producer();
  if (!producer.ok()) return;
  producer_ = std::move(*producer);
  bus_ = std::move(*bus);
}

std::vector<bus::Message> KafkaHarness::readings(int first_tick, int last_tick) const {
  static const auto stations = default_stations();
  std::vector<bus::Message> out;
  const int64_t t0 = 1'767'225'600'000;  // 2026-01-01T00:00Z
  for (int tick = first_tick; tick < last_tick; ++tick) {
    for (size_t s = 0; s < stations.size(); ++s) {
      std::mt19937 rng(static_cast<uint32_t>(tick * 131 + static_cast<int>(s)));
      std::normal_distribution<double> noise(0.0, 1.0);
      const double angle = static_cast<double>(tick % 288) / 288.0 * 2 * M_PI;
      Reading r;
      r.source = SourceId("sim");
      r.station = {StationId(stations[s].id), stations[s].name, stations[s].lat, stations[s].lon};
      r.observed_at = from_unix_ms(t0 + tick * 300'000);
      r.ingested_at = r.observed_at + Millis(1500);
      auto add = [&](Metric m, double v) {
        r.measurements.push_back({m, std::round(v * 100) / 100, std::nan(""), "", 0});
      };
      add(Metric::temperature, 12 + 6 * std::sin(angle) + 0.3 * noise(rng));
      add(Metric::humidity, 60 - 15 * std::sin(angle) + noise(rng));
      add(Metric::pressure, 1013 + 0.5 * noise(rng));
      add(Metric::pm25, std::abs(30 + 10 * std::sin(angle) + 2 * noise(rng)));
      add(Metric::pm10, std::abs(55 + 15 * std::sin(angle) + 3 * noise(rng)));
      add(Metric::no2, std::abs(25 + 3 * noise(rng)));
      bus::Message m;
      m.topic = bus::Topic::raw;
      m.key = stations[s].id;
      m.payload = encode_reading(r);
      out.push_back(std::move(m));
    }
  }
  return out;
}

void KafkaHarness::produce(const std::vector<bus::Message>& messages) {
  for (const auto& m : messages) {
    while (!producer_->send(m, Millis(1000)).ok())
      std::this_thread::sleep_for(Millis(100));
  }
  while (!producer_->flush(Millis(5000)).ok()) {
  }
}

std::unique_ptr<e2e::DemoProcess> KafkaHarness::start_member(const std::string& name) {
  return std::make_unique<e2e::DemoProcess>(
      std::vector<std::string>{ENVMON_BINARY, "process", "--config", config_, "--data-dir",
                               dir_ + "/data", "--log-level", "info"},
      dir_ + "/" + name + ".log");
}

int64_t KafkaHarness::committed_total(const std::string& group, bus::Topic topic) {
  int64_t total = 0;
  for (int32_t p = 0; p < bus_->partitions(topic); ++p)
    total += std::max<int64_t>(0, bus_->committed(group, {topic, p}));
  return total;
}

bool KafkaHarness::wait_committed(const std::string& group, const std::vector<bus::Topic>& topics,
                                  std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    bool done = true;
    for (auto t : topics)
      done = done && committed_total(group, t) >= bus_->stats(t).produced;
    if (done) return true;
    std::this_thread::sleep_for(Millis(250));
  }
  return false;
}

StoreContents KafkaHarness::reference_replay(const std::string& out_dir) {
  run_capture(std::string(ENVMON_BINARY) + " replay --config " + config_ + " --data-dir " + dir_ +
              "/replay-data --from-time 2000-01-01 --log-level warn --output-dir " + out_dir +
              " 2>&1");
  StoreContents c;
  std::ifstream curated(out_dir + "/curated.jsonl");
  for (std::string line; std::getline(curated, line);) {
    auto r = decode_reading(line);
    if (!r.ok()) continue;
    for (const auto& m : r->measurements) {
      if (std::isnan(m.value)) continue;  // masked by the cleaner: stored as NULL
      c.measurements[{r->station.id.get(), std::string(metric_id(m.metric)),
                      to_unix_ms(r->observed_at) / 1000}] = m.value;
    }
  }
  std::ifstream aggregates(out_dir + "/aggregates.jsonl");
  for (std::string line; std::getline(aggregates, line);) {
    if (auto a = decode_aggregate(line); a.ok()) add_aggregate(c.aggregates, *a);
  }
  return c;
}

StoreContents KafkaHarness::store_contents() const {
  StoreContents c;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return c;
  }
  const auto each = [&](const char* sql, auto&& fn) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    while (st != nullptr && sqlite3_step(st) == SQLITE_ROW)
      fn(st);
    sqlite3_finalize(st);
  };
  const auto text = [](sqlite3_stmt* st, int i) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
  };
  // Interpolated fills are rows too: the reference emits them as curated readings as well.
  each("SELECT station_id, metric, observed_at, value FROM measurements WHERE value IS NOT NULL",
       [&](sqlite3_stmt* st) {
         c.measurements[{text(st, 0), text(st, 1), sqlite3_column_int64(st, 2) / 1000}] =
             sqlite3_column_double(st, 3);
       });
  each(
      "SELECT station_id, metric, bucket_start, count, mean FROM aggregates_hourly WHERE "
      "bucket_secs = 3600",
      [&](sqlite3_stmt* st) {
        c.aggregates[{text(st, 0), text(st, 1), sqlite3_column_int64(st, 2) / 1000}] = {
            sqlite3_column_int64(st, 3), sqlite3_column_double(st, 4)};
      });
  each("SELECT key FROM dead_letters ORDER BY key",
       [&](sqlite3_stmt* st) { c.dead_letter_keys.push_back(text(st, 0)); });
  sqlite3_close(db);
  return c;
}

std::vector<std::string> KafkaHarness::dead_letter_topic_keys() {
  std::vector<std::string> keys;
  for (int32_t p = 0; p < bus_->partitions(bus::Topic::dead_letter); ++p) {
    auto reader = bus_->history(bus::Topic::dead_letter, p, Timestamp{});
    if (!reader.ok()) continue;
    for (auto batch = (*reader)->read(1000); batch.ok() && !batch->empty();
         batch = (*reader)->read(1000)) {
      for (const auto& m : *batch)
        keys.push_back(m.key);
    }
  }
  return keys;
}

bus::Message raw_message(std::string key, std::string payload, int32_t schema_version) {
  bus::Message m;
  m.topic = bus::Topic::raw;
  m.key = std::move(key);
  m.payload = std::move(payload);
  m.schema_version = schema_version;
  return m;
}

std::string first_difference(const StoreContents& expected, const StoreContents& actual) {
  std::ostringstream out;
  for (const auto& [k, v] : expected.measurements) {
    auto it = actual.measurements.find(k);
    if (it == actual.measurements.end() || std::abs(it->second - v) > 1e-9) {
      out << "measurement " << std::get<0>(k) << "/" << std::get<1>(k) << "@" << std::get<2>(k)
          << ": expected " << v << ", store has "
          << (it == actual.measurements.end() ? std::string("nothing")
                                              : std::to_string(it->second));
      return out.str();
    }
  }
  if (actual.measurements.size() != expected.measurements.size()) {
    out << "store has " << actual.measurements.size() << " measurements, expected "
        << expected.measurements.size();
    return out.str();
  }
  for (const auto& [k, v] : expected.aggregates) {
    auto it = actual.aggregates.find(k);
    if (it == actual.aggregates.end() || it->second.first != v.first ||
        std::abs(it->second.second - v.second) > 1e-9) {
      out << "aggregate " << std::get<0>(k) << "/" << std::get<1>(k) << "@" << std::get<2>(k)
          << ": expected count " << v.first << " mean " << v.second;
      return out.str();
    }
  }
  if (actual.aggregates.size() != expected.aggregates.size()) {
    out << "store has " << actual.aggregates.size() << " hourly aggregates, expected "
        << expected.aggregates.size();
  }
  return out.str();
}

}  // namespace envmon::kafka_test
