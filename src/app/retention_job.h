#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/log.h"
#include "store/store.h"

namespace envmon::app {

// Runs Store::apply_retention every policy interval (first run at start): raw rows older than
// raw_retention_days go, aggregates stay. Failures are logged and retried at the next run.
class RetentionJob {
 public:
  RetentionJob(store::Store& store, store::RetentionPolicy policy, const Clock& clock);
  ~RetentionJob() { stop(); }
  void start();
  void stop();

 private:
  void run();
  store::Store& store_;
  store::RetentionPolicy policy_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  Logger log_{"app:retention:store"};
};

}  // namespace envmon::app
