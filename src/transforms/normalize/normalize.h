#pragma once

#include "core/result.h"
#include "model/reading.h"

namespace envmon::transforms {

// Converts every measurement to its metric's canonical unit (model/units.h). A converted value
// keeps the original in `raw` and gets Flag::converted; `unit` is cleared once canonical.
// An unknown unit fails the whole reading with an error naming "measurements.<metric>.unit".
Status normalize_units(Reading& r);

}  // namespace envmon::transforms
