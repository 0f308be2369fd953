#include "sources/openweathermap/openweathermap_source.h"

#include <utility>

#include "sources/http/provider_factory.h"
#include "sources/openweathermap/openweathermap_config.h"
#include "sources/openweathermap/openweathermap_provider.h"

namespace envmon::sources {

Result<std::unique_ptr<Source>> make_openweathermap_source(const SourceSpec& spec,
                                                           ComponentContext ctx) {
  auto block = http::parse_provider_block<owm::OpenWeatherMapConfig>(
      spec.section->settings, owm::parse_openweathermap_config,
      owm::openweathermap_poller_defaults());
  if (!block.ok()) return block.error();
  auto key = http::require_api_key(spec.section->name, block->config.api_key_env,
                                   block->config.api_key_file);
  if (!key.ok()) return key.error();
  return http::make_provider_source(
      spec,
      std::make_unique<owm::OpenWeatherMapProvider>(std::move(block->config), std::move(*key),
                                                    spec.section->name),
      block->poller, std::move(ctx));
}

std::vector<config::SchemaDoc> openweathermap_schema_docs() {
  return {http::provider_schema_doc(
      "sources[].openweathermap",
      "OpenWeatherMap current weather, air pollution and One Call 3.0 (API key required)",
      owm::openweathermap_field_specs(), owm::openweathermap_poller_defaults())};
}

}  // namespace envmon::sources
