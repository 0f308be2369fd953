#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/components.h"
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
namespace envmon::sinks {
class StoreSink;
class LakeSink;
}

namespace envmon::app {

struct RuntimeOptions {
  std::string data_dir;      // overrides config data_dir when set
  std::optional<int64_t> port;
  double speed = 1.0;        // simulated seconds per real second (demo)
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
  bool ready() const { return ready_.load(); }
  MetricsRegistry& metrics() { return metrics_; }

 private:
  Status open_storage();
  Status start_pipeline();
  Status start_sources();
  Status start_api();
  Timestamp resume_clock_start();

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
  std::unique_ptr<sinks::StoreSink> store_sink_;
  std::unique_ptr<sinks::LakeSink> lake_sink_;
  std::vector<std::unique_ptr<SourceRunner>> sources_;
  std::unique_ptr<api::ApiServer> api_;
  std::atomic<bool> ready_{false};
  Logger log_{"app:runtime:main"};
};

}  // namespace envmon::app
