// Category names and colours of both standards.

#include "transforms/aqi/aqi.h"

#include <array>
#include <cmath>
#include <string_view>

namespace envmon::transforms::aqi {
namespace {

struct Category {
  double upper;  // inclusive upper bound of the (integer) index band
  std::string_view name;
  std::string_view color;
};

// US EPA TAD, unchanged in 2024; colours are the TAD's RGB triples in hex.
constexpr std::array<Category, 6> kUs{{{50, "Good", "#00e400"},
                                       {100, "Moderate", "#ffff00"},
                                       {150, "Unhealthy for Sensitive Groups", "#ff7e00"},
                                       {200, "Unhealthy", "#ff0000"},
                                       {300, "Very Unhealthy", "#8f3f97"},
                                       {500, "Hazardous", "#7e0023"}}};

// CPCB 2014. CPCB publishes colour names only, so no hex table is offered for India.
constexpr std::array<Category, 6> kIndia{{{50, "Good", ""},
                                          {100, "Satisfactory", ""},
                                          {200, "Moderately polluted", ""},
                                          {300, "Poor", ""},
                                          {400, "Very poor", ""},
                                          {500, "Severe", ""}}};

// Index values are reported as integers, so 50.4 is Good and 50.5 Moderate. Anything above the
// top band (a US value beyond the AQI that a caller did not cap) stays in the top category.
template <size_t N>
const Category* find(const std::array<Category, N>& table, double aqi) {
  if (std::isnan(aqi) || aqi < 0) return nullptr;
  const double rounded = std::round(aqi);
  for (const Category& c : table) {
    if (rounded <= c.upper) return &c;
  }
  return &table.back();
}

}  // namespace

std::string_view us_category(double aqi) {
  const Category* c = find(kUs, aqi);
  return c ? c->name : std::string_view{};
}

std::string_view india_category(double aqi) {
  const Category* c = find(kIndia, aqi);
  return c ? c->name : std::string_view{};
}

std::string_view us_color_hex(double aqi) {
  const Category* c = find(kUs, aqi);
  return c ? c->color : std::string_view{};
}

}  // namespace envmon::transforms::aqi
