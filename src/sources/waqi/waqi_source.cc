#include "sources/waqi/waqi_source.h"

#include <utility>

#include "sources/http/provider_factory.h"
#include "sources/waqi/waqi_config.h"
#include "sources/waqi/waqi_provider.h"

namespace envmon::sources {

Result<std::unique_ptr<Source>> make_waqi_source(const SourceSpec& spec, ComponentContext ctx) {
  auto block = http::parse_provider_block<waqi::WaqiConfig>(
      spec.section->settings, waqi::parse_waqi_config, waqi::waqi_poller_defaults());
  if (!block.ok()) return block.error();
  ENVMON_TRY(waqi::check_station_uids(block->config, spec.stations));
  auto token = http::require_api_key(spec.section->name, block->config.api_key_env,
                                     block->config.api_key_file);
  if (!token.ok()) return token.error();
  return http::make_provider_source(
      spec,
      std::make_unique<waqi::WaqiProvider>(std::move(block->config), std::move(*token),
                                           spec.section->name),
      block->poller, std::move(ctx));
}

std::vector<config::SchemaDoc> waqi_schema_docs() {
  return {http::provider_schema_doc(
      "sources[].waqi",
      "World Air Quality Index (aqicn.org) station feeds: US EPA sub-indices and weather "
      "(token required; attribution to WAQI and the originating agency is mandatory)",
      waqi::waqi_schema().specs(), waqi::waqi_poller_defaults())};
}

}  // namespace envmon::sources
