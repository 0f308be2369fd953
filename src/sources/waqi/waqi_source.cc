#include "sources/waqi/waqi_source.h"

#include <utility>

#include "sources/http/http_source.h"
#include "sources/http/poller_config.h"
#include "sources/waqi/waqi_config.h"
#include "sources/waqi/waqi_provider.h"

namespace envmon::sources {

namespace {

std::string key_error(const Result<std::string>& secret) {
  return secret.ok() ? "the key file is empty" : secret.error().message();
}

}  // namespace

Result<std::unique_ptr<Source>> make_waqi_source(const SourceSpec& spec, ComponentContext ctx) {
  const config::Node& block = spec.section->settings;
  auto cfg = waqi::parse_waqi_config(block, http::poller_key_names());
  if (!cfg.ok()) return cfg.error();
  ENVMON_TRY(waqi::check_station_uids(*cfg, spec.stations));
  http::PollerConfig poller;
  std::vector<std::string> provider_keys;
  for (const auto& field : waqi::waqi_schema().specs())
    provider_keys.push_back(field.key);
  ENVMON_TRY(http::fill_poller_config(block, waqi::waqi_poller_defaults(), provider_keys, poller));
  auto token = http::resolve_secret(cfg->api_key_env, cfg->api_key_file);
  if (!token.ok() || token->empty()) {
    return Error(Errc::source_auth,
                 spec.section->name + ": no API key: set the environment variable " +
                     cfg->api_key_env + " or api_key_file; source disabled" +
                     (cfg->api_key_file.empty() ? "" : " (" + key_error(token) + ")"));
  }
  auto provider =
      std::make_unique<waqi::WaqiProvider>(std::move(*cfg), std::move(*token), spec.section->name);
  return http::make_http_source(std::move(provider), std::move(poller),
                                spec.section->poll_interval_secs, spec.stations, std::move(ctx));
}

std::vector<config::SchemaDoc> waqi_schema_docs() {
  std::vector<config::FieldSpec> fields = waqi::waqi_schema().specs();
  for (auto& f : http::poller_schema(waqi::waqi_poller_defaults()).specs()) {
    fields.push_back(std::move(f));
  }
  return {{"sources[].waqi",
           "World Air Quality Index (aqicn.org) station feeds: US EPA sub-indices and weather "
           "(token required; attribution to WAQI and the originating agency is mandatory)",
           std::move(fields)}};
}

}  // namespace envmon::sources
