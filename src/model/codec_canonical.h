#pragma once
// Internal to the codec (codec_decode.cc, codec_canonical.cc): not part of model's API.

#include <optional>
#include <string_view>

#include "model/reading.h"

namespace envmon::codec_internal {

// parse_metric starting after the previous match (`hint`, 0 for the first): readings list their
// metrics in catalogue order, so the next one is usually found at the first comparison.
std::optional<Metric> find_metric(std::string_view id, size_t& hint);

// Decodes a reading laid out exactly as encode_reading writes it (no whitespace, fields in the
// encoder's order, measurements as {"value":x} or {"value":null}, strings of printable ASCII
// without escapes) in one pass, without simdjson. True: `r` holds what the full decoder would
// decode. False: the text is not in that form (maybe not even valid): `r` is partly written and
// the caller runs the full decoder, which accepts every other layout and names the errors.
// `r` must come in cleared (no measurements, no enrichment, empty station).
bool decode_canonical_reading(std::string_view json, Reading& r);

}  // namespace envmon::codec_internal
