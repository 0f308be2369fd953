#pragma once

#include <memory>

#include "core/component.h"
#include "core/result.h"
#include "sources/source.h"

namespace envmon::sources {

// The built-in simulator (type `simulator`): deterministic weather and air quality for the
// configured stations with injected sensor faults. Validates the `simulator:` block; no I/O.
Result<std::unique_ptr<Source>> make_simulator_source(const SourceSpec& spec, ComponentContext ctx);

}  // namespace envmon::sources
