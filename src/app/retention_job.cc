#include "app/retention_job.h"

namespace envmon::app {

RetentionJob::RetentionJob(store::Store& store, store::RetentionPolicy policy, const Clock& clock)
    : store_(store), policy_(policy), clock_(clock) {}

void RetentionJob::start() {
  log_.info("Retention job started", {{"raw_retention_days", policy_.raw_retention_days},
                                      {"interval_secs", policy_.interval.count()}});
  thread_ = std::thread([this] { run(); });
}

void RetentionJob::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionJob::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const Timestamp before = clock_.now() - Seconds(policy_.raw_retention_days * 86400);
    auto report = store_.apply_retention(before);
    if (report.ok()) {
      log_.info("Retention applied", {{"raw_horizon", format_rfc3339(report->raw_horizon)},
                                      {"raw_rows_deleted", report->raw_rows_deleted},
                                      {"daily_rows_refreshed", report->daily_rows_refreshed}});
    } else {
      log_.warn("Retention failed; retried at the next run",
                {{"error", report.error().to_string()}});
    }
    lock.lock();
    wake_.wait_for(lock, policy_.interval, [this] { return stopping_; });
  }
}

}  // namespace envmon::app
