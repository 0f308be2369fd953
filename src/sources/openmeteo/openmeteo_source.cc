#include "sources/openmeteo/openmeteo_source.h"

#include <utility>

#include "sources/http/provider_factory.h"
#include "sources/openmeteo/openmeteo_config.h"
#include "sources/openmeteo/openmeteo_provider.h"

namespace envmon::sources::openmeteo {

namespace {

// The key is optional: an unset variable means the free tier, not an error.
std::string optional_api_key(const std::string& env_name) {
  if (env_name.empty()) return {};
  return http::resolve_secret(env_name, "").value_or("");
}

}  // namespace

Result<http::ProviderBlock<OpenMeteoConfig>> parse_openmeteo_block(const config::Node& block) {
  auto parsed = http::parse_provider_block<OpenMeteoConfig>(
      block,
      [](const config::Node& b, const std::vector<std::string>& passthrough) {
        return parse_openmeteo_config(b, passthrough);
      },
      openmeteo_poller_defaults());
  if (!parsed.ok()) return parsed.error();
  parsed->config.api_key = optional_api_key(parsed->config.api_key_env);
  return parsed;
}

std::vector<config::SchemaDoc> openmeteo_schema_docs() {
  std::vector<config::FieldSpec> fields = openmeteo_schema().specs();
  for (auto& f : fields) {
    if (f.key == "endpoints") f.default_value = "[forecast, air_quality]";
  }
  return {http::provider_schema_doc(
      "sources[].openmeteo",
      "Open-Meteo forecast and air-quality APIs (free tier needs no key; data CC BY 4.0, "
      "attribution \"Weather data by Open-Meteo.com\")",
      std::move(fields), openmeteo_poller_defaults())};
}

Result<std::unique_ptr<Source>> make_openmeteo_source(const SourceSpec& spec,
                                                      ComponentContext ctx) {
  // No log here: `config check` builds every source too; the runner says when it starts.
  auto block = parse_openmeteo_block(spec.section->settings);
  if (!block.ok()) return block.error();
  return http::make_provider_source(spec,
                                    std::make_unique<OpenMeteoProvider>(std::move(block->config)),
                                    block->poller, std::move(ctx));
}

}  // namespace envmon::sources::openmeteo
