#pragma once

#include <atomic>
#include <string>

#include "lake/object_store.h"

namespace envmon::lake {

// Test seam: an ObjectStore that forwards to another but fails writes while failing() is set
// (or for the next `n` writes), with the error a full disk gives (ENOSPC: lake_io, retryable).
// Used where a real full filesystem cannot be had (no permission to mount a small tmpfs).
class FaultObjectStore final : public ObjectStore {
 public:
  explicit FaultObjectStore(ObjectStore& inner) : inner_(inner) {}

  void fail_writes(bool on) { failing_.store(on); }
  void fail_next_writes(int n) { fail_next_.store(n); }
  // Only keys containing `part` fail (set before the writer starts; not synchronised).
  void fail_only_keys_with(std::string part) { only_.swap(part); }
  int64_t failed_writes() const { return failed_.load(); }

  Result<std::string> put(const std::string& key, const std::string& data,
                          bool if_absent) override {
    if ((only_.empty() || key.find(only_) != std::string::npos) && should_fail())
      return disk_full(key);
    return inner_.put(key, data, if_absent);
  }
  Result<std::string> get(const std::string& key) override { return inner_.get(key); }
  Result<std::vector<ObjectInfo>> list(const std::string& prefix) override {
    return inner_.list(prefix);
  }
  Result<bool> exists(const std::string& key) override { return inner_.exists(key); }
  Status remove(const std::string& key) override { return inner_.remove(key); }

 private:
  bool should_fail() {
    if (failing_.load()) return true;
    int n = fail_next_.load();
    while (n > 0) {
      if (fail_next_.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }
  Error disk_full(const std::string& key) {
    ++failed_;
    return Error(Errc::lake_io, "writing " + key + ": No space left on device", Retryable::yes);
  }

  ObjectStore& inner_;
  std::atomic<bool> failing_{false};
  std::atomic<int> fail_next_{0};
  std::atomic<int64_t> failed_{0};
  std::string only_;
};

}  // namespace envmon::lake
