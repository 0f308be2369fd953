#include "sources/http/provider_factory.h"

#include "sources/http/http_source.h"

namespace envmon::sources::http {

Status fill_poller_block(const config::Node& block, const PollerDefaults& defaults,
                         PollerConfig& out) {
  // A block that is no mapping, and keys neither schema knows, are the provider parser's to
  // report: every key present passes through here.
  if (block.defined() && !block.is_map()) return ok_status();
  return fill_poller_config(block, defaults, block.keys(), out);
}

Result<std::string> require_api_key(std::string_view source_name, const std::string& env_name,
                                    const std::string& file_path) {
  auto key = resolve_secret(env_name, file_path);
  if (key.ok() && !key->empty()) return key;
  std::string message = std::string(source_name) + ": no API key: set the environment variable " +
                        env_name + " or api_key_file; source disabled";
  if (!file_path.empty()) {
    message +=
        " (" + (key.ok() ? std::string("the key file is empty") : key.error().message()) + ")";
  }
  return Error(Errc::source_auth, message);
}

Status check_base_url(const config::Node& block, std::string_view key, std::string& url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  const bool http_url = (url.starts_with("http://") && url.size() > 7) ||
                        (url.starts_with("https://") && url.size() > 8);
  if (http_url) return ok_status();
  return block.child(key).error(Errc::config_bad_value,
                                "'" + url + "' is not an http:// or https:// URL");
}

std::string choices_text(const std::vector<std::string_view>& names) {
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Result<std::unique_ptr<Source>> make_provider_source(const SourceSpec& spec,
                                                     std::unique_ptr<Provider> provider,
                                                     PollerConfig poller, ComponentContext ctx) {
  return make_http_source(std::move(provider), poller, spec.section->poll_interval_secs,
                          spec.stations, std::move(ctx));
}

config::SchemaDoc provider_schema_doc(std::string section, std::string description,
                                      std::vector<config::FieldSpec> provider_fields,
                                      const PollerDefaults& defaults) {
  for (auto& f : poller_schema(defaults).specs())
    provider_fields.push_back(std::move(f));
  return {std::move(section), std::move(description), std::move(provider_fields)};
}

}  // namespace envmon::sources::http
