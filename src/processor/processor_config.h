#pragma once

#include <cstdint>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "transforms/clean/clean.h"
#include "transforms/dedupe/dedupe.h"
#include "transforms/validate/validate.h"

namespace envmon::processor {

// Runtime settings of the stream processor itself; the transforms' settings sit beside them in
// the same `processor:` block, each declared by its transform's schema.
// How curated readings and aggregates go onto the bus: one message each, or packed per station
// and poll batch into batch records (bus::pack_batches; every consumer unpacks them).
enum class OutputFraming { message, batch };
// How the processor's output producers deliver: the bus's idempotent producer (the default; a
// retried send is stored once) or `ordered` (per-partition order kept, a retried send may be
// stored twice, which the idempotent sinks absorb; cheaper with librdkafka 2.0, whose
// idempotent producer busy-polls while acknowledgements are pending).
enum class OutputDelivery { idempotent, ordered };

struct RuntimeConfig {
  int64_t workers = 2;
  int64_t poll_batch = 4096;
  int64_t poll_timeout_ms = 100;
  int64_t send_timeout_ms = 1000;
  int64_t rebuild_window_secs = 93600;
  int64_t max_message_bytes = 262144;
  OutputFraming output_framing = OutputFraming::batch;
  int64_t output_batch_max_bytes = 262144;
  OutputDelivery output_delivery = OutputDelivery::idempotent;
  int64_t output_linger_ms = 1;
  int64_t commit_interval_ms = 50;
};
const config::Schema<RuntimeConfig>& runtime_schema();

struct ProcessorConfig {
  RuntimeConfig runtime;
  transforms::ValidateConfig validate;
  transforms::DedupeConfig dedupe;
  transforms::CleanConfig clean;
};

// Parses the `processor:` block (flat keys; every unknown key is an error naming file and line).
Result<ProcessorConfig> parse_processor_config(const config::Node& node);

// Room a batch record needs besides its payload within the bus's message limit (key, headers).
inline constexpr int64_t kBatchRecordOverheadBytes = 1024;
// With batch framing, a batch record must fit the bus's largest message (Kafka:
// bus.kafka.message_max_bytes) or its send would fail for good: checked at config load. The
// error names both keys and where each is set. `bus_key` is the node of the bus's limit.
Status check_batch_fits_bus(const ProcessorConfig& cfg, const config::Node& processor,
                            int64_t bus_max_bytes, const config::Node& bus_key);
// For `envmon config schema`.
std::vector<config::SchemaDoc> processor_schema_docs();

}  // namespace envmon::processor
