#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.h"
#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

// One row per Faults field: its key in the body of POST /_fake/faults, and (with '-' for '_')
// its command-line flag. Both front ends parse and range-check through this one table, so the
// two cannot drift apart.
struct FaultField {
  std::string_view key;
  // int64_t: a count or duration >= 0; double: a rate in [0, 1]; uint64_t: the seed.
  std::variant<int64_t Faults::*, double Faults::*, uint64_t Faults::*> member;
};

std::span<const FaultField> fault_fields();
const FaultField* find_fault_field(std::string_view key);
std::string fault_field_keys();  // "latency_ms, status_429_every, ..." for error messages

// Parses `text` into the field, or an invalid_argument error starting with `label` (the JSON
// key or the flag) that says what was expected and what was given.
Status set_fault_field(Faults& faults, const FaultField& field, std::string_view text,
                       std::string_view label);

}  // namespace envmon::fake_providers
