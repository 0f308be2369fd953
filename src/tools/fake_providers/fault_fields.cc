#include "tools/fake_providers/fault_fields.h"

#include <array>
#include <charconv>

namespace envmon::fake_providers {
namespace {

constexpr std::array kFields = {
    FaultField{"latency_ms", &Faults::latency_ms},
    FaultField{"status_429_every", &Faults::status_429_every},
    FaultField{"retry_after_secs", &Faults::retry_after_secs},
    FaultField{"burst_5xx", &Faults::burst_5xx},
    FaultField{"reset_rate", &Faults::reset_rate},
    FaultField{"malformed_rate", &Faults::malformed_rate},
    FaultField{"truncated_rate", &Faults::truncated_rate},
    FaultField{"slow_drip_ms", &Faults::slow_drip_ms},
    FaultField{"html_rate", &Faults::html_rate},
    FaultField{"seed", &Faults::seed},
};

template <typename T>
bool parse_whole(std::string_view text, T& out) {
  const auto res = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && res.ec == std::errc() && res.ptr == text.data() + text.size();
}

Error bad(std::string_view label, std::string_view expected, std::string_view text) {
  return Error(Errc::invalid_argument, std::string(label) + ": expected " + std::string(expected) +
                                           ", got '" + std::string(text) + "'");
}

}  // namespace

std::span<const FaultField> fault_fields() {
  return kFields;
}

const FaultField* find_fault_field(std::string_view key) {
  for (const FaultField& f : kFields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

std::string fault_field_keys() {
  std::string out;
  for (const FaultField& f : kFields)
    out.append(out.empty() ? "" : ", ").append(f.key);
  return out;
}

Status set_fault_field(Faults& faults, const FaultField& field, std::string_view text,
                       std::string_view label) {
  if (const auto* m = std::get_if<int64_t Faults::*>(&field.member)) {
    int64_t v = 0;
    if (!parse_whole(text, v) || v < 0) return bad(label, "an integer >= 0", text);
    faults.*(*m) = v;
  } else if (const auto* r = std::get_if<double Faults::*>(&field.member)) {
    double v = 0;
    if (!parse_whole(text, v) || !(v >= 0 && v <= 1)) return bad(label, "a rate in [0, 1]", text);
    faults.*(*r) = v;
  } else {
    uint64_t v = 0;
    if (!parse_whole(text, v)) return bad(label, "an integer >= 0", text);
    faults.*std::get<uint64_t Faults::*>(field.member) = v;
  }
  return ok_status();
}

}  // namespace envmon::fake_providers
