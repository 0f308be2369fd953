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

// The unit a table is written in; concentrations arrive in µg/m³.
enum class Unit : uint8_t { ug_m3, mg_m3, ppb, ppm };

struct Table {
  std::span<const Band> bands;
  Unit unit;
  double per_unit;  // truncation grid in `unit`: 10 keeps one decimal, 1000 three
  Above above;
};

// Rows are copied as published, index columns included, so each table can be checked line by line
// against its standard; the repetition across tables is data, not logic.

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

// Which table serves which pollutant (and, for the US, which averaging). A pollutant/averaging
// pair not listed has no index (e.g. PM with hour_1).
constexpr Above kCap = Above::capped_at_top;
constexpr Above kPartial = Above::partial_table;

struct UsEntry {
  Metric pollutant;
  UsAveraging averaging;
  Table table;
};
constexpr UsEntry kUsTables[] = {
    {Metric::pm25, UsAveraging::nowcast_or_24h, {kUsPm25, Unit::ug_m3, 10, kCap}},
    {Metric::pm10, UsAveraging::nowcast_or_24h, {kUsPm10, Unit::ug_m3, 1, kCap}},
    {Metric::o3, UsAveraging::hour_8, {kUsO3Hour8, Unit::ppm, 1000, kPartial}},
    {Metric::o3, UsAveraging::hour_1, {kUsO3Hour1, Unit::ppm, 1000, kCap}},
    {Metric::co, UsAveraging::hour_8, {kUsCo, Unit::ppm, 10, kCap}},
    {Metric::so2, UsAveraging::hour_1, {kUsSo2Hour1, Unit::ppb, 1, kPartial}},
    {Metric::so2, UsAveraging::nowcast_or_24h, {kUsSo2Hour24, Unit::ppb, 1, kCap}},
    {Metric::no2, UsAveraging::hour_1, {kUsNo2, Unit::ppb, 1, kCap}},
};

struct IndiaEntry {
  Metric pollutant;
  Table table;
};
// CPCB lists CO in mg/m³; every other pollutant is in µg/m³.
constexpr IndiaEntry kIndiaTables[] = {
    {Metric::pm25, {kInPm25, Unit::ug_m3, 1, kCap}},
    {Metric::pm10, {kInPm10, Unit::ug_m3, 1, kCap}},
    {Metric::no2, {kInNo2, Unit::ug_m3, 1, kCap}},
    {Metric::o3, {kInO3, Unit::ug_m3, 1, kCap}},
    {Metric::co, {kInCoMg, Unit::mg_m3, 10, kCap}},
    {Metric::so2, {kInSo2, Unit::ug_m3, 1, kCap}},
};

const Table* us_table(Metric p, UsAveraging avg) {
  for (const UsEntry& e : kUsTables) {
    if (e.pollutant == p && e.averaging == avg) return &e.table;
  }
  return nullptr;
}

const Table* india_table(Metric p) {
  for (const IndiaEntry& e : kIndiaTables) {
    if (e.pollutant == p) return &e.table;
  }
  return nullptr;
}

double in_unit(Metric p, double ug_m3, Unit unit) {
  switch (unit) {
    case Unit::ug_m3:
      return ug_m3;
    case Unit::mg_m3:
      return ug_m3 / 1000;
    case Unit::ppb:
      return to_ppb(p, ug_m3);
    case Unit::ppm:
      return to_ppb(p, ug_m3) / 1000;
  }
  return ug_m3;
}

// Converts to the table's unit and truncates to its grid, so the value lands on a row: the first
// row whose c_hi is not exceeded is the row containing it.
std::optional<SubIndex> lookup(const Table* table, Metric p, double ug_m3) {
  if (table == nullptr || !usable(ug_m3)) return std::nullopt;
  const double c = truncate_to(in_unit(p, ug_m3, table->unit), table->per_unit);
  if (c < table->bands.front().c_lo) return std::nullopt;  // e.g. O3 1-h below 0.125 ppm
  for (const Band& b : table->bands) {
    if (c <= b.c_hi) {
      const double i = (b.i_hi - b.i_lo) / (b.c_hi - b.c_lo) * (c - b.c_lo) + b.i_lo;
      return SubIndex{std::round(i), false};
    }
  }
  return SubIndex{table->bands.back().i_hi, table->above == Above::capped_at_top};
}

}  // namespace

std::optional<SubIndex> us_sub_index_detail(Metric pollutant, double concentration_ug_m3,
                                            UsAveraging averaging) {
  return lookup(us_table(pollutant, averaging), pollutant, concentration_ug_m3);
}

std::optional<SubIndex> india_sub_index_detail(Metric pollutant, double concentration_ug_m3) {
  return lookup(india_table(pollutant), pollutant, concentration_ug_m3);
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
