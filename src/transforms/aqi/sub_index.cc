// Breakpoint tables and the piecewise-linear sub-index of both standards.
// US: EPA-454/B-24-002 (May 2024) Table 6. India: CPCB National Air Quality Index (2014).

#include <array>
#include <cmath>
#include <optional>
#include <span>

#include "transforms/aqi/aqi.h"
#include "transforms/aqi/aqi_internal.h"

namespace envmon::transforms::aqi {
namespace detail {
namespace {

// One row: concentration band [c_lo, c_hi] (in the table's unit, inclusive at its precision) and
// the index band it maps to.
struct Band {
  double c_lo;
  double c_hi;
  double i_lo;
  double i_hi;
};

// What a concentration above the last row means.
enum class Above : uint8_t {
  capped_at_top,  // beyond the scale: report the top index and flag it
  partial_table,  // the standard switches averaging there: the table only says "at least i_hi"
};

struct Table {
  std::span<const Band> bands;
  double per_unit;  // truncation grid: 10 keeps one decimal, 1000 three
  Above above;
};

// --- US EPA (2024) -------------------------------------------------------------------------------
constexpr std::array<Band, 6> kUsPm25{{{0.0, 9.0, 0, 50},
                                       {9.1, 35.4, 51, 100},
                                       {35.5, 55.4, 101, 150},
                                       {55.5, 125.4, 151, 200},
                                       {125.5, 225.4, 201, 300},
                                       {225.5, 325.4, 301, 500}}};
constexpr std::array<Band, 6> kUsPm10{{{0, 54, 0, 50},
                                       {55, 154, 51, 100},
                                       {155, 254, 101, 150},
                                       {255, 354, 151, 200},
                                       {355, 424, 201, 300},
                                       {425, 604, 301, 500}}};
constexpr std::array<Band, 5> kUsO3Hour8{{{0.000, 0.054, 0, 50},
                                          {0.055, 0.070, 51, 100},
                                          {0.071, 0.085, 101, 150},
                                          {0.086, 0.105, 151, 200},
                                          {0.106, 0.200, 201, 300}}};
constexpr std::array<Band, 4> kUsO3Hour1{{{0.125, 0.164, 101, 150},
                                          {0.165, 0.204, 151, 200},
                                          {0.205, 0.404, 201, 300},
                                          {0.405, 0.604, 301, 500}}};
constexpr std::array<Band, 6> kUsCo{{{0.0, 4.4, 0, 50},
                                     {4.5, 9.4, 51, 100},
                                     {9.5, 12.4, 101, 150},
                                     {12.5, 15.4, 151, 200},
                                     {15.5, 30.4, 201, 300},
                                     {30.5, 50.4, 301, 500}}};
constexpr std::array<Band, 4> kUsSo2Hour1{
    {{0, 35, 0, 50}, {36, 75, 51, 100}, {76, 185, 101, 150}, {186, 304, 151, 200}}};
constexpr std::array<Band, 2> kUsSo2Hour24{{{305, 604, 201, 300}, {605, 1004, 301, 500}}};
constexpr std::array<Band, 6> kUsNo2{{{0, 53, 0, 50},
                                      {54, 100, 51, 100},
                                      {101, 360, 101, 150},
                                      {361, 649, 151, 200},
                                      {650, 1249, 201, 300},
                                      {1250, 2049, 301, 500}}};

// --- India NAQI (CPCB 2014); the Severe row's upper bound is our cap (see README) ------------
constexpr std::array<Band, 6> kInPm10{{{0, 50, 0, 50},
                                       {51, 100, 51, 100},
                                       {101, 250, 101, 200},
                                       {251, 350, 201, 300},
                                       {351, 430, 301, 400},
                                       {431, 600, 401, 500}}};
constexpr std::array<Band, 6> kInPm25{{{0, 30, 0, 50},
                                       {31, 60, 51, 100},
                                       {61, 90, 101, 200},
                                       {91, 120, 201, 300},
                                       {121, 250, 301, 400},
                                       {251, 380, 401, 500}}};
constexpr std::array<Band, 6> kInNo2{{{0, 40, 0, 50},
                                      {41, 80, 51, 100},
                                      {81, 180, 101, 200},
                                      {181, 280, 201, 300},
                                      {281, 400, 301, 400},
                                      {401, 800, 401, 500}}};
constexpr std::array<Band, 6> kInO3{{{0, 50, 0, 50},
                                     {51, 100, 51, 100},
                                     {101, 168, 101, 200},
                                     {169, 208, 201, 300},
                                     {209, 748, 301, 400},
                                     {749, 1000, 401, 500}}};
constexpr std::array<Band, 6> kInCoMg{{{0.0, 1.0, 0, 50},
                                       {1.1, 2.0, 51, 100},
                                       {2.1, 10.0, 101, 200},
                                       {10.1, 17.0, 201, 300},
                                       {17.1, 34.0, 301, 400},
                                       {34.1, 50.0, 401, 500}}};
constexpr std::array<Band, 6> kInSo2{{{0, 40, 0, 50},
                                      {41, 80, 51, 100},
                                      {81, 380, 101, 200},
                                      {381, 800, 201, 300},
                                      {801, 1600, 301, 400},
                                      {1601, 2400, 401, 500}}};

// Looks up an already-converted concentration. Truncated values land on the table's grid, so
// the first row whose c_hi is not exceeded is the row containing the value.
std::optional<SubIndex> lookup(const Table& table, double native) {
  const double c = truncate_to(native, table.per_unit);
  const Band& first = table.bands.front();
  if (c < first.c_lo) return std::nullopt;  // e.g. O3 1-h below 0.125 ppm: no 1-h index
  for (const Band& b : table.bands) {
    if (c <= b.c_hi) {
      const double i = (b.i_hi - b.i_lo) / (b.c_hi - b.c_lo) * (c - b.c_lo) + b.i_lo;
      return SubIndex{std::round(i), false};
    }
  }
  const Band& last = table.bands.back();
  return SubIndex{last.i_hi, table.above == Above::capped_at_top};
}

// Gas concentration in ppb from µg/m³ using the catalogue's molar mass.
double to_ppb(Metric gas, double ug_m3) {
  return ug_m3 * kMolarVolume / metric_info(gas).molar_mass_g_mol;
}

// The US table and the value in its unit for (pollutant, averaging); nullopt: no such table.
struct UsLookup {
  Table table;
  double native;
};
std::optional<UsLookup> us_table(Metric p, double ug, UsAveraging avg) {
  using A = UsAveraging;
  constexpr Above kCap = Above::capped_at_top;
  switch (p) {
    case Metric::pm25:
      if (avg == A::nowcast_or_24h) return UsLookup{{kUsPm25, 10, kCap}, ug};
      return std::nullopt;
    case Metric::pm10:
      if (avg == A::nowcast_or_24h) return UsLookup{{kUsPm10, 1, kCap}, ug};
      return std::nullopt;
    case Metric::o3:
      if (avg == A::hour_8)
        return UsLookup{{kUsO3Hour8, 1000, Above::partial_table}, to_ppb(p, ug) / 1000};
      if (avg == A::hour_1) return UsLookup{{kUsO3Hour1, 1000, kCap}, to_ppb(p, ug) / 1000};
      return std::nullopt;
    case Metric::co:
      if (avg == A::hour_8) return UsLookup{{kUsCo, 10, kCap}, to_ppb(p, ug) / 1000};
      return std::nullopt;
    case Metric::so2:
      if (avg == A::hour_1) return UsLookup{{kUsSo2Hour1, 1, Above::partial_table}, to_ppb(p, ug)};
      if (avg == A::nowcast_or_24h) return UsLookup{{kUsSo2Hour24, 1, kCap}, to_ppb(p, ug)};
      return std::nullopt;
    case Metric::no2:
      if (avg == A::hour_1) return UsLookup{{kUsNo2, 1, kCap}, to_ppb(p, ug)};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<Table> india_table(Metric p) {
  constexpr Above kCap = Above::capped_at_top;
  switch (p) {
    case Metric::pm25:
      return Table{kInPm25, 1, kCap};
    case Metric::pm10:
      return Table{kInPm10, 1, kCap};
    case Metric::no2:
      return Table{kInNo2, 1, kCap};
    case Metric::o3:
      return Table{kInO3, 1, kCap};
    case Metric::co:
      return Table{kInCoMg, 10, kCap};
    case Metric::so2:
      return Table{kInSo2, 1, kCap};
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<SubIndex> us_sub_index_detail(Metric pollutant, double concentration_ug_m3,
                                            UsAveraging averaging) {
  if (!usable(concentration_ug_m3)) return std::nullopt;
  const auto found = us_table(pollutant, concentration_ug_m3, averaging);
  if (!found) return std::nullopt;
  return lookup(found->table, found->native);
}

std::optional<SubIndex> india_sub_index_detail(Metric pollutant, double concentration_ug_m3) {
  if (!usable(concentration_ug_m3)) return std::nullopt;
  const auto table = india_table(pollutant);
  if (!table) return std::nullopt;
  // CPCB lists CO in mg/m³; every other pollutant is already in the table's µg/m³.
  const double native = pollutant == Metric::co ? concentration_ug_m3 / 1000 : concentration_ug_m3;
  return lookup(*table, native);
}

}  // namespace detail

std::optional<double> us_sub_index(Metric pollutant, double concentration_ug_m3,
                                   UsAveraging averaging) {
  const auto s = detail::us_sub_index_detail(pollutant, concentration_ug_m3, averaging);
  if (!s) return std::nullopt;
  return s->value;
}

std::optional<double> india_sub_index(Metric pollutant, double concentration_ug_m3) {
  const auto s = detail::india_sub_index_detail(pollutant, concentration_ug_m3);
  if (!s) return std::nullopt;
  return s->value;
}

}  // namespace envmon::transforms::aqi
