#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/result.h"
#include "sources/http/poller_config.h"
#include "sources/http/provider_factory.h"

namespace envmon::sources::openmeteo {

// The two live APIs polled per station; the archive is a separate backfill provider.
enum class Endpoint : uint8_t { forecast, air_quality };
std::string_view endpoint_name(Endpoint e);

struct OpenMeteoConfig {
  std::string forecast_base_url = "https://api.open-meteo.com";
  std::string air_quality_base_url = "https://air-quality-api.open-meteo.com";
  std::string archive_base_url = "https://archive-api.open-meteo.com";
  // The free tier needs no key; commercial plans (customer-* hosts) send `&apikey=`.
  std::string api_key_env = "OPEN_METEO_API_KEY";
  std::vector<std::string> endpoints;  // as written; empty means both
  int64_t archive_chunk_days = 14;

  // Derived after parsing, not YAML keys.
  std::vector<Endpoint> endpoint_list;  // deduplicated, never empty after parsing
  std::string api_key;                  // resolved from api_key_env; empty = free tier
};

const config::Schema<OpenMeteoConfig>& openmeteo_schema();
// Section "sources[].openmeteo" (provider keys plus the polling engine's keys with Open-Meteo's
// defaults). Defined with the factory (needs sources/http).
std::vector<config::SchemaDoc> openmeteo_schema_docs();

// Free-tier quotas (600/min, 5000/h, 10000/day) and the 15-min refresh of current data.
http::PollerDefaults openmeteo_poller_defaults();

// Parses the provider keys of the `openmeteo:` block, leaving `passthrough` keys (the engine's)
// alone. Does not resolve the API key. Errors name file, line and key.
Result<OpenMeteoConfig> parse_openmeteo_config(const config::Node& block,
                                               const std::vector<std::string>& passthrough);
// The whole `openmeteo:` block: provider keys and engine keys (errors of both together), with
// the optional key resolved from api_key_env (unset means the free tier). Used by the source
// factory and by `envmon backfill`. Defined with the factory (needs sources/http).
Result<http::ProviderBlock<OpenMeteoConfig>> parse_openmeteo_block(const config::Node& block);

}  // namespace envmon::sources::openmeteo
