#pragma once

#include <memory>
#include <vector>

#include "config/schema.h"
#include "core/component.h"
#include "core/result.h"
#include "sources/source.h"

namespace envmon::sources {

// The `openweathermap` source type: OpenWeatherMap's provider on the shared polling engine.
// Validates the `openweathermap:` block (provider and poller keys) and resolves the API key;
// no I/O beyond reading the key file. Without a key: Errc::source_auth.
Result<std::unique_ptr<Source>> make_openweathermap_source(const SourceSpec& spec,
                                                           ComponentContext ctx);

// Section "sources[].openweathermap" for `envmon config schema`: provider keys + poller keys.
std::vector<config::SchemaDoc> openweathermap_schema_docs();

}  // namespace envmon::sources
