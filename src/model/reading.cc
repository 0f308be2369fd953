#include "model/reading.h"

#include <array>
#include <utility>

namespace envmon {
namespace {

constexpr std::array<std::pair<Flag, std::string_view>, 9> kFlagNames{{
    {Flag::out_of_bounds, "out_of_bounds"},
    {Flag::spike, "spike"},
    {Flag::outlier, "outlier"},
    {Flag::stuck, "stuck"},
    {Flag::interpolated, "interpolated"},
    {Flag::late, "late"},
    {Flag::converted, "converted"},
    {Flag::derived, "derived"},
    {Flag::clock_skew, "clock_skew"},
}};

}  // namespace

std::string_view flag_name(Flag f) {
  for (const auto& [flag, name] : kFlagNames) {
    if (flag == f) return name;
  }
  return "none";
}

std::optional<Flag> parse_flag(std::string_view name) {
  for (const auto& [flag, n] : kFlagNames) {
    if (n == name) return flag;
  }
  return std::nullopt;
}

std::vector<Flag> all_flags() {
  std::vector<Flag> out;
  for (const auto& [flag, name] : kFlagNames) out.push_back(flag);
  return out;
}

}  // namespace envmon
