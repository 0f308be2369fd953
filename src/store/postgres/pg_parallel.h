#pragma once
// Runs a write's shares at once: share 0 on the calling thread, the others on threads of their
// own. A thread that cannot be started (std::async throws std::system_error when the process is
// out of threads) is no error: its share runs on the calling thread after share 0.
#include <cstddef>
#include <future>
#include <system_error>
#include <vector>

#include "core/result.h"

namespace envmon::store::postgres {

struct AsyncLaunch {
  template <typename Fn>
  std::future<Status> operator()(Fn&& fn) const {
    return std::async(std::launch::async, std::forward<Fn>(fn));
  }
};

// share(i) for i in [0, n); the first failure (by share number) is the result, after all ended.
template <typename Share, typename Launch = AsyncLaunch>
Status run_shares(size_t n, Share&& share, Launch&& launch = {}) {
  std::vector<std::future<Status>> started;
  std::vector<size_t> here = {0};
  for (size_t i = 1; i < n; ++i) {
    try {
      started.push_back(launch([&share, i] { return share(i); }));
    } catch (const std::system_error&) {
      here.push_back(i);
    }
  }
  Status status = ok_status();
  for (size_t i : here) {
    Status s = share(i);
    if (status.ok() && !s.ok()) status = s;
  }
  for (auto& f : started) {
    Status s = f.get();
    if (status.ok() && !s.ok()) status = s;
  }
  return status;
}

}  // namespace envmon::store::postgres
