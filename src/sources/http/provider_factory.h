#pragma once
// What every API source factory does besides building its provider: read the `<type>:` block
// (provider keys and engine keys side by side), validate the keys every provider has (base URLs,
// endpoint lists), find the API key and start the provider on the polling engine.

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/node.h"
#include "config/schema.h"
#include "core/component.h"
#include "core/result.h"
#include "sources/http/poller_config.h"
#include "sources/http/provider.h"
#include "sources/source.h"

namespace envmon::sources::http {

// The engine keys of a block that also holds provider keys. Unknown keys are left to the
// provider's own schema, so each one is reported once.
Status fill_poller_block(const config::Node& block, const PollerDefaults& defaults,
                         PollerConfig& out);

// A provider's block, parsed: its own config and the engine's.
template <typename Config>
struct ProviderBlock {
  Config config;
  PollerConfig poller;
};

// `parse(block, passthrough)` is the provider's own parser (Result<Config>), which must accept
// the engine keys named in `passthrough`. Errors of both halves come back together.
template <typename Config, typename ParseFn>
Result<ProviderBlock<Config>> parse_provider_block(const config::Node& block, ParseFn parse,
                                                   const PollerDefaults& defaults) {
  ProviderBlock<Config> out;
  std::vector<Error> errors;
  if (Result<Config> cfg = parse(block, poller_key_names()); cfg.ok()) {
    out.config = std::move(*cfg);
  } else {
    errors.push_back(cfg.error());
  }
  if (Status s = fill_poller_block(block, defaults, out.poller); !s.ok()) {
    errors.push_back(s.error());
  }
  if (!errors.empty()) return config::join_errors(errors).error();
  return out;
}

// A required API key from the variable `env_name`, else the file `file_path`. Without one the
// source cannot run: Errc::source_auth naming the source and where the key was looked for
// (never the value).
Result<std::string> require_api_key(std::string_view source_name, const std::string& env_name,
                                    const std::string& file_path);

// `url` (the value of `key` in `block`) without trailing slashes; an error naming the key unless
// it is an http:// or https:// URL.
Status check_base_url(const config::Node& block, std::string_view key, std::string& url);

// "a, b, c"
std::string choices_text(const std::vector<std::string_view>& names);

// The names in `names` (the list under `key` in `block`) as enum values, in order, duplicates
// removed; `table` gives the spellings. An unknown name is an error naming the list item and the
// valid names.
template <typename E>
Status parse_name_list(const config::Node& block, std::string_view key,
                       const std::vector<std::string>& names,
                       std::span<const std::pair<std::string_view, E>> table, std::vector<E>& out) {
  std::vector<Error> errors;
  for (size_t i = 0; i < names.size(); ++i) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const auto& entry) { return entry.first == names[i]; });
    if (it == table.end()) {
      std::vector<std::string_view> valid;
      for (const auto& entry : table)
        valid.push_back(entry.first);
      errors.push_back(block.child(key).item(i).error(
          Errc::config_bad_value,
          "unknown value '" + names[i] + "'; valid: " + choices_text(valid)));
      continue;
    }
    if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
  }
  return config::join_errors(errors);
}

// The source: `provider` on the polling engine with the section's poll interval and stations.
Result<std::unique_ptr<Source>> make_provider_source(const SourceSpec& spec,
                                                     std::unique_ptr<Provider> provider,
                                                     PollerConfig poller, ComponentContext ctx);

// A provider's section of `envmon config schema`: its keys, then the engine's with its defaults.
config::SchemaDoc provider_schema_doc(std::string section, std::string description,
                                      std::vector<config::FieldSpec> provider_fields,
                                      const PollerDefaults& defaults);

}  // namespace envmon::sources::http
