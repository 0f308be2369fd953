#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"

namespace envmon::sinks {

// Shared by both sinks: how they poll, retry and drain.
struct SinkConfig {
  int64_t max_batch_messages = 2000;  // messages per poll (a curated message holds ~10 rows)
  int64_t poll_timeout_ms = 200;
  int64_t retry_initial_ms = 100;  // backoff after a retryable error, doubled up to retry_max_ms
  int64_t retry_max_ms = 10000;
  int64_t drain_timeout_ms = 60000;  // stop() gives up draining after this (nothing is lost: the
                                     // uncommitted messages are re-delivered on the next start)
};
using StoreSinkConfig = SinkConfig;
using LakeSinkConfig = SinkConfig;

const config::Schema<SinkConfig>& sink_schema();
std::vector<config::SchemaDoc> sink_schema_docs();
Result<SinkConfig> parse_sink_config(const config::Node& settings);

}  // namespace envmon::sinks
