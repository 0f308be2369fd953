#pragma once

#include <memory>

#include "core/component.h"
#include "core/result.h"
#include "sources/source.h"

namespace envmon::sources::openmeteo {

// Factory for `type: openmeteo`: parses the `openmeteo:` block (provider keys + engine keys with
// Open-Meteo's free-tier defaults), resolves the optional API key and runs the provider on the
// shared HTTP polling engine. No I/O besides reading the key's environment variable.
Result<std::unique_ptr<Source>> make_openmeteo_source(const SourceSpec& spec, ComponentContext ctx);

}  // namespace envmon::sources::openmeteo
