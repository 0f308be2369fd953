#include "sinks/sink_config.h"

#include <string>

namespace envmon::sinks {

const config::Schema<SinkConfig>& sink_schema() {
  static const config::Schema<SinkConfig> schema = [] {
    config::Schema<SinkConfig> s("sinks");
    s.integer("max_batch_messages", &SinkConfig::max_batch_messages, 2000, "messages", 1, 1000000,
              "Messages taken from the bus per poll and written in one transaction")
        .integer("poll_timeout_ms", &SinkConfig::poll_timeout_ms, 200, "ms", 1, 60000,
                 "How long a poll waits for the first message")
        .integer("retry_initial_ms", &SinkConfig::retry_initial_ms, 100, "ms", 1, 600000,
                 "First backoff after a retryable write error (doubles each attempt)")
        .integer("retry_max_ms", &SinkConfig::retry_max_ms, 10000, "ms", 1, 3600000,
                 "Longest backoff between write attempts")
        .integer("drain_timeout_ms", &SinkConfig::drain_timeout_ms, 60000, "ms", 0, 3600000,
                 "On stop, how long the sink keeps writing what is on its topics before it gives "
                 "up (uncommitted messages are re-delivered on the next start)");
    return s;
  }();
  return schema;
}

std::vector<config::SchemaDoc> sink_schema_docs() {
  return {{"sinks", "Store and lake sinks: bus consumers that commit offsets only after the write",
           sink_schema().specs()}};
}

Result<SinkConfig> parse_sink_config(const config::Node& settings) {
  SinkConfig out;
  ENVMON_TRY(config::fill(settings, sink_schema(), out));
  // The backoff doubles from retry_initial_ms and is capped at retry_max_ms.
  if (out.retry_max_ms < out.retry_initial_ms) {
    return settings.child("retry_max_ms")
        .error(Errc::config_bad_value,
               "must be >= retry_initial_ms (" + std::to_string(out.retry_initial_ms) + ")");
  }
  return out;
}

}  // namespace envmon::sinks
