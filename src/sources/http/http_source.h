#pragma once

#include <memory>
#include <vector>

#include "config/app_config.h"
#include "core/component.h"
#include "sources/http/poller_config.h"
#include "sources/http/provider.h"
#include "sources/source.h"

namespace envmon::sources::http {

// The Source every API provider runs on: the polling engine (libcurl multi, schedules, quotas,
// backoff, Retry-After, circuit breaker, fetch planner) around the provider's builder and parser.
// Every reading is validated at the edge; rejects become dead letters that carry the provider,
// the URL without its key, the reason and the raw body. `poll_interval_secs` is the section's;
// the planner never goes below it, the provider's refresh, or what the quotas allow.
Result<std::unique_ptr<Source>> make_http_source(std::unique_ptr<Provider> provider,
                                                 PollerConfig config, int64_t poll_interval_secs,
                                                 std::vector<config::StationConfig> stations,
                                                 ComponentContext ctx);

}  // namespace envmon::sources::http
