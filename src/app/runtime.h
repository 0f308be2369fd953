#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/components.h"
#include "app/retention_job.h"
#include "app/source_runner.h"
#include "config/app_config.h"
#include "core/clock.h"
#include "core/metrics.h"

namespace envmon::api {
class ApiServer;
}
namespace envmon::processor {
class StreamProcessor;
}
namespace envmon::analytics {
class AnalyticsStage;
class AnomalySink;
}  // namespace envmon::analytics
namespace envmon::sinks {
class StoreSink;
class LakeSink;
class ParquetLakeSink;
}  // namespace envmon::sinks
namespace envmon::lake {
class CuratedLake;
}

namespace envmon::app {

// demo: a scaled clock that resumes where the stored data stops (simulated days); wall: the real
// time, which live API sources need.
enum class ClockMode { simulated, wall };

// What one process runs. `envmon run` runs all of them; on a Kafka bus they can be split over
// processes and machines: `envmon process` (processor + sinks) scales out as one consumer group.
enum class Role : uint8_t { sources, processor, sinks, api };
class Roles {
 public:
  static Roles all() { return Roles(0b1111); }
  static Roles of(std::initializer_list<Role> roles);
  // "sources,processor,sinks,api" (any subset, any order); an unknown name lists the valid ones.
  static Result<Roles> parse(std::string_view text);
  bool has(Role r) const { return (bits_ >> static_cast<unsigned>(r)) & 1U; }
  std::string to_string() const;

 private:
  explicit Roles(unsigned bits) : bits_(bits) {}
  unsigned bits_ = 0;
};

struct RuntimeOptions {
  std::string data_dir;  // overrides config data_dir when set
  std::optional<int64_t> port;
  double speed = 1.0;  // simulated seconds per real second (demo)
  ClockMode clock = ClockMode::simulated;
  Roles roles = Roles::all();  // backfill: processor + sinks, fed by the caller
};

// A source that could not start because it lacks a key: the pipeline runs without it.
struct DisabledSource {
  std::string name;
  std::string reason;
};

// The whole topology in one process: sources -> bus -> processor -> store + raw lake sinks,
// and the API with its cache. start() brings it up in dependency order; stop() shuts it down
// from the sources inward so every queue drains and everything acknowledged is on disk.
class Runtime {
 public:
  Runtime(config::AppConfig config, RuntimeOptions options);
  ~Runtime();
  Status start();
  void stop();
  int api_port() const;
  std::string api_host() const;
  bool ready() const { return ready_.load(); }
  // A component that stopped for good (the processor's consumer failed): the process should
  // exit non-zero so that its supervisor restarts it. Empty while everything runs.
  std::optional<Error> failure() const;
  MetricsRegistry& metrics() { return metrics_; }
  bus::Bus& bus() { return *bus_; }
  const std::string& data_dir() const { return data_dir_; }
  store::Store& store() { return *store_; }
  const Clock& clock() const { return *clock_; }
  const std::vector<DisabledSource>& disabled_sources() const { return disabled_; }
  // Waits until every message produced so far has been committed by every consumer group
  // (processed and acknowledged by the sinks). False when `timeout` passes first.
  bool wait_drained(std::chrono::milliseconds timeout);

 private:
  Status open_storage();
  Status start_processor();
  Status start_analytics();
  Status start_sinks();
  Status start_sources();
  Status start_api();
  Timestamp resume_clock_start();
  std::set<std::string> lake_excluded_sources() const;

  config::AppConfig config_;
  RuntimeOptions options_;
  std::string data_dir_;
  MetricsRegistry metrics_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<bus::Bus> bus_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<lake::RawLake> lake_;
  std::unique_ptr<cache::Cache> cache_;
  std::unique_ptr<processor::StreamProcessor> processor_;
  std::unique_ptr<analytics::AnalyticsStage> analytics_;  // online scoring (role processor)
  std::unique_ptr<analytics::AnomalySink> anomaly_sink_;  // anomalies -> store (role sinks)
  std::unique_ptr<sinks::StoreSink> store_sink_;
  std::unique_ptr<RetentionJob> retention_;  // when the store's config asks for retention
  std::unique_ptr<sinks::LakeSink> lake_sink_;
  std::unique_ptr<lake::CuratedLake> curated_;  // Parquet on the lake's store, unless curated: off
  std::unique_ptr<sinks::ParquetLakeSink> curated_sink_;
  std::vector<std::unique_ptr<SourceRunner>> sources_;
  std::vector<DisabledSource> disabled_;
  std::unique_ptr<api::ApiServer> api_;
  std::atomic<bool> ready_{false};
  Logger log_{"app:runtime:main"};
};

}  // namespace envmon::app
