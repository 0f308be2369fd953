#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace envmon::features {

// The raw hourly inputs every feature is computed from. Offline they come from a dataset file,
// the store or the lake; online from the stream. NaN marks a missing value.
enum class Raw : uint8_t {
  pm25,           // µg/m³
  temperature,    // °C
  dew_point,      // °C
  humidity,       // relative humidity, %
  pressure,       // hPa
  wind_speed,     // m/s
  wind_dir_deg,   // meteorological "from" bearing, degrees clockwise from north; NaN = calm/variable
  precipitation,  // mm in the hour
};
inline constexpr size_t kRawCount = 8;
std::string_view raw_name(Raw r);

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One row of raw inputs (the online path pushes these one hour at a time).
struct RawRow {
  std::array<double, kRawCount> v{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
  double& operator[](Raw r) { return v[static_cast<size_t>(r)]; }
  double operator[](Raw r) const { return v[static_cast<size_t>(r)]; }
};

// Columns on a regular hourly grid: index i is UTC time start_unix + i * step_secs.
struct RawFrame {
  int64_t start_unix = 0;
  int64_t step_secs = 3600;
  int utc_offset_secs = 0;  // local time = UTC + offset (fixed: calendar features use local time)
  std::array<std::vector<double>, kRawCount> cols;

  size_t size() const { return cols[0].size(); }
  std::vector<double>& col(Raw r) { return cols[static_cast<size_t>(r)]; }
  const std::vector<double>& col(Raw r) const { return cols[static_cast<size_t>(r)]; }
  int64_t time_at(size_t i) const { return start_unix + static_cast<int64_t>(i) * step_secs; }
  void resize(size_t n) {
    for (auto& c : cols) c.assign(n, kNaN);
  }
  RawRow row(size_t i) const {
    RawRow r;
    for (size_t k = 0; k < kRawCount; ++k) r.v[k] = cols[k][i];
    return r;
  }
  // Number of non-missing values in a column.
  size_t present(Raw r) const {
    size_t n = 0;
    for (double x : col(r)) n += std::isfinite(x) ? 1 : 0;
    return n;
  }
};

}  // namespace envmon::features
