#pragma once
// An in-memory store::Store for the HTTP layer's tests and the API benchmark. Not a product
// backend: linear scans under one mutex, good enough for a few thousand rows.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>

#include "store/store.h"

namespace envmon::api::testing {

class FakeStore final : public store::Store {
 public:
  void add(store::Observation o) {
    std::lock_guard lock(mutex_);
    rows_.push_back(std::move(o));
  }
  // Makes every query fail with store_io (the API must answer a bare 500).
  void set_failing(bool failing) { failing_ = failing; }

  Status open() override { return ok_status(); }
  Status upsert_stations(const std::vector<config::StationConfig>& stations) override {
    std::lock_guard lock(mutex_);
    stations_ = stations;
    return ok_status();
  }
  Status write(const store::WriteBatch&) override { return ok_status(); }

  Result<std::vector<config::StationConfig>> stations() override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    return stations_;
  }

  Result<std::vector<store::Observation>> latest(const std::string& station) override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    std::map<std::pair<Metric, std::string>, const store::Observation*> newest;
    for (const auto& r : rows_) {
      if (r.station != station) continue;
      auto& slot = newest[{r.metric, r.source}];
      if (slot == nullptr || r.observed_at > slot->observed_at) slot = &r;
    }
    std::vector<store::Observation> out;
    for (const auto& [k, r] : newest) out.push_back(*r);
    return out;
  }

  Result<std::vector<store::Observation>> range(const std::string& station, Metric metric,
                                                Timestamp from, Timestamp to, size_t limit) override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    std::vector<store::Observation> out;
    for (const auto& r : rows_) {
      if (r.station == station && r.metric == metric && r.observed_at >= from && r.observed_at < to) {
        out.push_back(r);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.observed_at < b.observed_at; });
    if (out.size() > limit) out.resize(limit);
    return out;
  }

  Result<std::vector<store::Bucket>> buckets(const std::string& station, Metric metric, Timestamp from,
                                             Timestamp to, Seconds bucket) override {
    auto rows = range(station, metric, from, to, static_cast<size_t>(-1));
    if (!rows.ok()) return rows.error();
    std::map<Timestamp, store::Bucket> by_start;
    for (const auto& r : *rows) {
      if (!std::isfinite(r.value)) continue;
      const Timestamp start = floor_to(r.observed_at, std::chrono::duration_cast<Millis>(bucket));
      auto [it, fresh] = by_start.try_emplace(start, store::Bucket{start, 0, r.value, r.value, 0});
      auto& b = it->second;
      b.mean += r.value;  // sum until the end
      b.min = std::min(b.min, r.value);
      b.max = std::max(b.max, r.value);
      ++b.count;
    }
    std::vector<store::Bucket> out;
    for (auto& [start, b] : by_start) {
      b.mean /= static_cast<double>(b.count);
      out.push_back(b);
    }
    return out;
  }

  Result<std::vector<Aggregate>> aggregates(const std::string&, Metric, Timestamp, Timestamp) override {
    return std::vector<Aggregate>{};
  }
  Result<std::map<std::string, Timestamp>> source_progress(const std::string&) override {
    return std::map<std::string, Timestamp>{};
  }
  Result<store::StoreCounts> counts() override {
    std::lock_guard lock(mutex_);
    return store::StoreCounts{static_cast<int64_t>(rows_.size()), 0, 0};
  }
  // The newest value of `metric` per station stands in for the newest hourly AQI aggregate.
  Result<std::vector<store::StationAqi>> top_stations_by_aqi(Metric metric, size_t limit) override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    std::map<std::string, store::StationAqi> newest;
    for (const auto& r : rows_) {
      if (r.metric != metric) continue;
      auto [it, fresh] = newest.try_emplace(r.station, store::StationAqi{r.station, metric, r.observed_at, r.value, ""});
      if (!fresh && r.observed_at > it->second.at) it->second = {r.station, metric, r.observed_at, r.value, ""};
    }
    std::vector<store::StationAqi> out;
    for (auto& [station, a] : newest) out.push_back(a);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.aqi > b.aqi; });
    if (out.size() > limit) out.resize(limit);
    return out;
  }
  Status write_anomalies(const std::vector<store::AnomalyRecord>& anomalies) override {
    std::lock_guard lock(mutex_);
    anomalies_.insert(anomalies_.end(), anomalies.begin(), anomalies.end());
    return ok_status();
  }
  Result<std::vector<store::AnomalyRecord>> anomalies(const std::string& station, Timestamp from,
                                                      Timestamp to, size_t limit) override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    std::vector<store::AnomalyRecord> out;
    for (const auto& a : anomalies_)
      if ((station.empty() || a.station == station) && a.at >= from && a.at < to) out.push_back(a);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at > b.at; });
    if (out.size() > limit) out.resize(limit);
    return out;
  }
  Status put_cluster_labels(const std::vector<store::ClusterLabel>& labels) override {
    std::lock_guard lock(mutex_);
    labels_ = labels;
    return ok_status();
  }
  Result<std::vector<store::ClusterLabel>> cluster_labels() override {
    if (failing_) return failure();
    std::lock_guard lock(mutex_);
    return labels_;
  }
  void close() override {}

 private:
  static Error failure() { return Error(Errc::store_io, "fake store failure: /secret/path.db locked"); }

  std::mutex mutex_;
  std::atomic<bool> failing_{false};
  std::vector<config::StationConfig> stations_;
  std::vector<store::Observation> rows_;
  std::vector<store::AnomalyRecord> anomalies_;
  std::vector<store::ClusterLabel> labels_;
};

}  // namespace envmon::api::testing
