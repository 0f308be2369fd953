#include "processor/processor_config.h"

#include <string>

namespace envmon::processor {
namespace {

template <typename T>
std::vector<std::string> keys_of(const config::Schema<T>& schema) {
  std::vector<std::string> out;
  for (const auto& f : schema.fields())
    out.push_back(f.spec.key);
  return out;
}

// Keys of every schema except `skip`: passthrough for the fill of one of them.
std::vector<std::string> other_keys(int skip) {
  std::vector<std::vector<std::string>> all = {
      keys_of(runtime_schema()), keys_of(transforms::validate_schema()),
      keys_of(transforms::dedupe_schema()), keys_of(transforms::clean_schema())};
  std::vector<std::string> out;
  for (int i = 0; i < static_cast<int>(all.size()); ++i) {
    if (i != skip)
      out.insert(out.end(), all[static_cast<size_t>(i)].begin(), all[static_cast<size_t>(i)].end());
  }
  return out;
}

}  // namespace

const config::Schema<RuntimeConfig>& runtime_schema() {
  static const config::Schema<RuntimeConfig> schema = [] {
    config::Schema<RuntimeConfig> s("processor");
    s.integer("workers", &RuntimeConfig::workers, 2, "threads", 1, 256,
              "Worker threads; worker p % workers owns raw partition p's per-station state (the "
              "process is one member of consumer group 'processor')")
        .integer("poll_batch", &RuntimeConfig::poll_batch, 4096, "messages", 1, 100000,
                 "Raw messages per poll; offsets are committed per batch after its outputs are "
                 "acknowledged. A worker's share of a batch should make at most one Kafka request "
                 "per output partition (under bus.kafka.batch_size_bytes): librdkafka 2.0's "
                 "idempotent producer sends one at a time and spins while records wait")
        .integer("commit_interval_ms", &RuntimeConfig::commit_interval_ms, 50, "ms", 0, 60000,
                 "Batches whose outputs are acknowledged are committed together at most this "
                 "often (0: after each batch); a crash re-reads at most this much more")
        .integer("poll_timeout_ms", &RuntimeConfig::poll_timeout_ms, 100, "ms", 1, 60000,
                 "How long a poll waits for the first message")
        .integer("send_timeout_ms", &RuntimeConfig::send_timeout_ms, 1000, "ms", 1, 600000,
                 "Back-pressure wait per send before retrying")
        .integer("rebuild_window_secs", &RuntimeConfig::rebuild_window_secs, 93600, "s", 0, 604800,
                 "When a partition moves to this worker (scale-out, restart), the raw messages "
                 "appended this long before its committed offset are re-read to rebuild "
                 "cleaning windows, open hours and the 24 h AQI averages (Kafka); 26 h covers "
                 "them all; 0 starts with empty state (AQI then resumes after 24 h)")
        .integer("max_message_bytes", &RuntimeConfig::max_message_bytes, 262144, "bytes", 1024,
                 104857600,
                 "A raw message larger than this is dead-lettered (reason oversized) unparsed")
        .enumeration("output_framing", &RuntimeConfig::output_framing, OutputFraming::batch,
                     {{"message", OutputFraming::message}, {"batch", OutputFraming::batch}},
                     "curated/aggregates on the bus: one message per reading or aggregate, or "
                     "packed per station and poll batch into batch records (schema version 2, "
                     "unpacked by every consumer): far less broker and client work per reading")
        .integer("output_batch_max_bytes", &RuntimeConfig::output_batch_max_bytes, 262144,
                 "bytes", 1024, 104857600,
                 "Largest payload of a batch record (keep it under the bus's message size "
                 "limit, bus.kafka.message_max_bytes)")
        .enumeration("output_delivery", &RuntimeConfig::output_delivery,
                     OutputDelivery::idempotent,
                     {{"idempotent", OutputDelivery::idempotent},
                      {"ordered", OutputDelivery::ordered}},
                     "Output producers: idempotent (a retried send is stored once) or ordered "
                     "(no idempotence, one request in flight: a retried send may be stored "
                     "twice, absorbed by the idempotent sinks; less client CPU on Kafka)")
        .integer("output_linger_ms", &RuntimeConfig::output_linger_ms, 1, "ms", 0, 900,
                 "How long the output producers wait to fill a request (bus.kafka.linger_ms for "
                 "the workers' producers): a worker sends a batch's outputs at once and the next "
                 "batch only after they are acknowledged, so waiting longer only adds latency");
    return s;
  }();
  return schema;
}

Result<ProcessorConfig> parse_processor_config(const config::Node& node) {
  ProcessorConfig cfg;
  std::vector<Error> errors;
  auto keep = [&](Status s) {
    if (!s.ok()) errors.push_back(s.error());
  };
  keep(config::fill(node, runtime_schema(), cfg.runtime, other_keys(0)));
  keep(config::fill(node, transforms::validate_schema(), cfg.validate, other_keys(1)));
  keep(config::fill(node, transforms::dedupe_schema(), cfg.dedupe, other_keys(2)));
  keep(config::fill(node, transforms::clean_schema(), cfg.clean, other_keys(3)));
  if (errors.empty()) return cfg;
  std::string message;
  // Each schema sees the same unknown key: report every distinct problem once.
  for (const auto& e : errors) {
    if (message.find(e.message()) == std::string::npos)
      message += (message.empty() ? "" : "\n") + e.message();
  }
  return Error(errors.front().code(), message);
}

Status check_batch_fits_bus(const ProcessorConfig& cfg, const config::Node& processor,
                            int64_t bus_max_bytes, const config::Node& bus_key) {
  const int64_t fits = bus_max_bytes - kBatchRecordOverheadBytes;
  if (cfg.runtime.output_framing != OutputFraming::batch ||
      cfg.runtime.output_batch_max_bytes <= fits)
    return ok_status();
  const std::string where =
      bus_key.defined() ? bus_key.file() + ":" + std::to_string(bus_key.line()) : "its default";
  return processor.child("output_batch_max_bytes")
      .error(Errc::config_bad_value,
             std::to_string(cfg.runtime.output_batch_max_bytes) + " bytes does not fit " +
                 bus_key.path() + " = " + std::to_string(bus_max_bytes) + " (" + where +
                 "): a batch record needs at most " + std::to_string(fits) + " bytes (" +
                 std::to_string(kBatchRecordOverheadBytes) +
                 " kept for key and headers); lower output_batch_max_bytes or raise " +
                 bus_key.path());
}

std::vector<config::SchemaDoc> processor_schema_docs() {
  return {
      {"processor", "Stream processor runtime: workers, batching, back-pressure",
       runtime_schema().specs()},
      {"processor", "Validation: clock-skew tolerance and policy",
       transforms::validate_schema().specs()},
      {"processor", "De-duplication by (source, station, metric, observed_at)",
       transforms::dedupe_schema().specs()},
      {"processor",
       "Cleaning: bounds, spike/outlier (rolling median/MAD), stuck, gap interpolation",
       transforms::clean_schema().specs()},
  };
}

}  // namespace envmon::processor
