#pragma once

#include <memory>
#include <vector>

#include "config/schema.h"
#include "core/component.h"
#include "core/result.h"
#include "sources/source.h"

namespace envmon::sources {

// The `waqi` source type: WAQI's provider on the shared polling engine. Validates the `waqi:`
// block (provider and poller keys) and resolves the token; no I/O beyond reading the token
// file. Without a token: Errc::source_auth.
Result<std::unique_ptr<Source>> make_waqi_source(const SourceSpec& spec, ComponentContext ctx);

// Section "sources[].waqi" for `envmon config schema`: provider keys + poller keys.
std::vector<config::SchemaDoc> waqi_schema_docs();

}  // namespace envmon::sources
