#include "sources/openweathermap/openweathermap_source.h"

#include <utility>

#include "sources/http/http_source.h"
#include "sources/http/poller_config.h"
#include "sources/openweathermap/openweathermap_config.h"
#include "sources/openweathermap/openweathermap_provider.h"

namespace envmon::sources {

namespace {

std::string key_error(const Result<std::string>& secret) {
  return secret.ok() ? "the key file is empty" : secret.error().message();
}

}  // namespace

Result<std::unique_ptr<Source>> make_openweathermap_source(const SourceSpec& spec,
                                                           ComponentContext ctx) {
  const config::Node& block = spec.section->settings;
  auto cfg = owm::parse_openweathermap_config(block, http::poller_key_names());
  if (!cfg.ok()) return cfg.error();
  http::PollerConfig poller;
  std::vector<std::string> provider_keys;
  for (const auto& spec_field : owm::openweathermap_schema().specs()) {
    provider_keys.push_back(spec_field.key);
  }
  ENVMON_TRY(http::fill_poller_config(block, owm::openweathermap_poller_defaults(), provider_keys,
                                      poller));
  auto key = http::resolve_secret(cfg->api_key_env, cfg->api_key_file);
  if (!key.ok() || key->empty()) {
    return Error(Errc::source_auth,
                 spec.section->name + ": no API key: set the environment variable " +
                     cfg->api_key_env + " or api_key_file; source disabled" +
                     (cfg->api_key_file.empty() ? "" : " (" + key_error(key) + ")"));
  }
  auto provider = std::make_unique<owm::OpenWeatherMapProvider>(std::move(*cfg), std::move(*key),
                                                                spec.section->name);
  return http::make_http_source(std::move(provider), std::move(poller),
                                spec.section->poll_interval_secs, spec.stations, std::move(ctx));
}

std::vector<config::SchemaDoc> openweathermap_schema_docs() {
  std::vector<config::FieldSpec> fields = owm::openweathermap_field_specs();
  for (auto& f : http::poller_schema(owm::openweathermap_poller_defaults()).specs()) {
    fields.push_back(std::move(f));
  }
  return {{"sources[].openweathermap",
           "OpenWeatherMap current weather, air pollution and One Call 3.0 (API key required)",
           std::move(fields)}};
}

}  // namespace envmon::sources
