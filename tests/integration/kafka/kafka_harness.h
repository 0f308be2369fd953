#pragma once
// A pipeline harness on a real Kafka broker: it produces realistic raw readings into an envmon
// topic set of its own, runs `envmon process` members as a user would, waits on the consumer
// groups' committed offsets, and compares the store with a deterministic reference replay.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bus/bus.h"
#include "e2e/demo_process.h"

namespace envmon::kafka_test {

// station, metric, observed_at (unix s) -> value; station, metric, hour -> (count, mean)
using SeriesValues = std::map<std::tuple<std::string, std::string, int64_t>, double>;
using HourlyAggregates =
    std::map<std::tuple<std::string, std::string, int64_t>, std::pair<int64_t, double>>;

struct StoreContents {
  SeriesValues measurements;
  HourlyAggregates aggregates;
  std::vector<std::string> dead_letter_keys;
};

class KafkaHarness {
 public:
  // Skips (returns false from ok()) when ENVMON_KAFKA_BOOTSTRAP is unset.
  explicit KafkaHarness(const std::string& name);
  bool ok() const { return bus_ != nullptr; }
  bus::Bus& bus() { return *bus_; }
  const std::string& dir() const { return dir_; }
  std::string db_path() const { return dir_ + "/data/envmon.db"; }

  // Realistic readings of the default config's 16 stations, 5 minutes apart, ticks [from, to).
  std::vector<bus::Message> readings(int first_tick, int last_tick) const;
  // Sends and waits for the brokers' acknowledgement; rides out a broker restart.
  void produce(const std::vector<bus::Message>& messages);
  // A member running processor + sinks on this harness's topics and data dir.
  std::unique_ptr<e2e::DemoProcess> start_member(const std::string& name);
  // Until `group` has committed everything produced on `topics` (false on timeout).
  bool wait_committed(const std::string& group, const std::vector<bus::Topic>& topics,
                      std::chrono::seconds timeout);
  int64_t committed_total(const std::string& group, bus::Topic topic);
  // `envmon replay` of the whole raw topic into `out_dir`; its curated and aggregate lines.
  StoreContents reference_replay(const std::string& out_dir);
  StoreContents store_contents() const;
  std::vector<std::string> dead_letter_topic_keys();

 private:
  std::string dir_;
  std::string prefix_;
  std::string config_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<bus::Producer> producer_;
};

// A raw message as any producer could write it (bad ones included).
bus::Message raw_message(std::string key, std::string payload, int32_t schema_version = 1);

// Human-readable first difference between two contents ("" when equal).
std::string first_difference(const StoreContents& expected, const StoreContents& actual);

}  // namespace envmon::kafka_test
