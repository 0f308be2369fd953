#include "sources/openmeteo/openmeteo_source.h"

#include <utility>

#include "sources/http/http_source.h"
#include "sources/http/poller_config.h"
#include "sources/openmeteo/openmeteo_config.h"
#include "sources/openmeteo/openmeteo_provider.h"

namespace envmon::sources::openmeteo {

Result<OpenMeteoConfig> parse_openmeteo_config(const config::Node& block) {
  auto cfg = parse_openmeteo_config(block, http::poller_key_names());
  if (!cfg.ok()) return cfg.error();
  if (!cfg->api_key_env.empty()) {
    // The key is optional: an unset variable means the free tier, not an error.
    if (auto key = http::resolve_secret(cfg->api_key_env, ""); key.ok()) cfg->api_key = *key;
  }
  return cfg;
}

std::vector<config::SchemaDoc> openmeteo_schema_docs() {
  std::vector<config::FieldSpec> fields = openmeteo_schema().specs();
  for (auto& f : fields) {
    if (f.key == "endpoints") f.default_value = "[forecast, air_quality]";
  }
  const auto poller = http::poller_schema(openmeteo_poller_defaults()).specs();
  fields.insert(fields.end(), poller.begin(), poller.end());
  return {{"sources[].openmeteo",
           "Open-Meteo forecast and air-quality APIs (free tier needs no key; data CC BY 4.0, "
           "attribution \"Weather data by Open-Meteo.com\")",
           std::move(fields)}};
}

Result<std::unique_ptr<Source>> make_openmeteo_source(const SourceSpec& spec,
                                                      ComponentContext ctx) {
  const config::Node& block = spec.section->settings;
  auto cfg = parse_openmeteo_config(block);
  std::vector<std::string> provider_keys;
  for (const auto& f : openmeteo_schema().specs())
    provider_keys.push_back(f.key);
  http::PollerConfig poller;
  const Status poller_status =
      http::fill_poller_config(block, openmeteo_poller_defaults(), provider_keys, poller);
  if (!cfg.ok() && !poller_status.ok()) {
    return Error(cfg.error().code(),
                 cfg.error().message() + "\n" + poller_status.error().message());
  }
  if (!cfg.ok()) return cfg.error();
  if (!poller_status.ok()) return poller_status.error();
  ctx.log.info("open-meteo source configured",
               {{"stations", spec.stations.size()},
                {"endpoints", cfg->endpoint_list.size()},
                {"api_key", cfg->api_key.empty() ? "none (free tier)" : "set"}});
  return http::make_http_source(std::make_unique<OpenMeteoProvider>(std::move(*cfg)),
                                std::move(poller), spec.section->poll_interval_secs, spec.stations,
                                std::move(ctx));
}

}  // namespace envmon::sources::openmeteo
