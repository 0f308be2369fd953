// Rolling per-station state: hourly means in fixed rings, averaged per each standard's rules.

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "transforms/aqi/aqi.h"
#include "transforms/aqi/aqi_internal.h"

namespace envmon::transforms::aqi {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kNoHour = std::numeric_limits<int64_t>::min();
constexpr int64_t kMsPerHour = 3'600'000;

// EPA NowCast window; 8-h and 24-h averages with EPA's usual 75 % completeness (6 of 8, 18 of 24).
constexpr int kNowcastHours = 12;
constexpr int kUsMin8 = 6;
constexpr int kUsMin24 = 18;
// CPCB: 24-h values need 16 of 24 hours, 8-h values 6 of 8; an index needs 3 pollutants.
constexpr int kInMin24 = 16;
constexpr int kInMin8 = 6;
constexpr int kInMinPollutants = 3;
// SO2 at or above this 1-h level is reported from the 24-h rows (TAD 2024, Table 6 footnote).
constexpr double kUsSo2Hour1TopPpb = 305;

int64_t hour_of(Timestamp t) {
  return to_unix_ms(floor_to(t, std::chrono::hours(1))) / kMsPerHour;
}

size_t slot_of(int64_t hour) {
  int64_t m = hour % StationAqi::kRingHours;
  if (m < 0) m += StationAqi::kRingHours;
  return static_cast<size_t>(m);
}

constexpr size_t kO3 = *detail::pollutant_slot(Metric::o3);
constexpr size_t kSo2 = *detail::pollutant_slot(Metric::so2);

}  // namespace

StationAqi::StationAqi() {
  for (Series& s : series_) {
    s.hour.fill(kNoHour);
    s.value.fill(kNaN);
  }
}

void StationAqi::set_hour(Metric pollutant, Timestamp hour_start, double mean_ug_m3) {
  const auto p = detail::pollutant_slot(pollutant);
  if (!p) return;
  const int64_t hour = hour_of(hour_start);
  Series& s = series_[*p];
  const size_t i = slot_of(hour);
  // The slot already holds a newer hour: this one has fallen out of the ring and is not kept.
  if (s.hour[i] > hour) return;
  s.hour[i] = hour;
  s.value[i] = detail::usable(mean_ug_m3) ? mean_ug_m3 : kNaN;
}

void StationAqi::evict_before(Timestamp t) {
  const int64_t hour = hour_of(t);
  // Branch-free (every slot rewritten, the old ones emptied) so the loop vectorises: which
  // slots are old depends on the data, and the branch mispredicted.
  for (Series& s : series_) {
    for (size_t i = 0; i < s.hour.size(); ++i) {
      const bool old = s.hour[i] < hour;
      s.value[i] = old ? kNaN : s.value[i];
      s.hour[i] = old ? kNoHour : s.hour[i];
    }
  }
}

double StationAqi::value_at(size_t pollutant, int64_t hour) const {
  const Series& s = series_[pollutant];
  const size_t i = slot_of(hour);
  return s.hour[i] == hour ? s.value[i] : kNaN;
}

double StationAqi::mean_of(size_t pollutant, int64_t hour, int hours, int min_valid) const {
  double sum = 0;
  int valid = 0;
  for (int k = 0; k < hours; ++k) {
    const double v = value_at(pollutant, hour - k);
    if (std::isnan(v)) continue;
    sum += v;
    ++valid;
  }
  return valid >= min_valid ? sum / valid : kNaN;
}

IndexResult StationAqi::compute(Standard standard, Timestamp hour_start) const {
  const int64_t hour = hour_of(hour_start);
  return standard == Standard::us_epa ? compute_us(hour) : compute_india(hour);
}

// --- US EPA ------------------------------------------------------------------------------------

namespace {
using Detail = std::optional<detail::SubIndex>;
}  // namespace

Detail StationAqi::us_pollutant(size_t pollutant, int64_t hour) const {
  const Metric m = detail::pollutant_at(pollutant);
  switch (m) {
    case Metric::pm25:
    case Metric::pm10: {
      std::array<double, kNowcastHours> window{};
      for (int k = 0; k < kNowcastHours; ++k)
        window[static_cast<size_t>(k)] = value_at(pollutant, hour - k);
      return detail::us_sub_index_detail(m, nowcast(window, m), UsAveraging::nowcast_or_24h);
    }
    case Metric::o3:
      return us_o3(hour);
    case Metric::so2:
      return us_so2(hour);
    case Metric::co:
      return detail::us_sub_index_detail(m, mean_of(pollutant, hour, 8, kUsMin8),
                                         UsAveraging::hour_8);
    case Metric::no2:
      return detail::us_sub_index_detail(m, value_at(pollutant, hour), UsAveraging::hour_1);
    default:
      return std::nullopt;
  }
}

// The 8-h value is the reported one; the 1-h value (defined from 0.125 ppm) counts where it is
// higher, which is also the only way to reach AQI > 300 for ozone.
Detail StationAqi::us_o3(int64_t hour) const {
  const Detail h8 =
      detail::us_sub_index_detail(Metric::o3, mean_of(kO3, hour, 8, kUsMin8), UsAveraging::hour_8);
  const Detail h1 =
      detail::us_sub_index_detail(Metric::o3, value_at(kO3, hour), UsAveraging::hour_1);
  return (h1 && (!h8 || h1->value > h8->value)) ? h1 : h8;
}

// 1-h SO2 defines the index up to 200; from 305 ppb the 24-h average's rows (201+) apply.
Detail StationAqi::us_so2(int64_t hour) const {
  const double one = value_at(kSo2, hour);
  const Detail h1 = detail::us_sub_index_detail(Metric::so2, one, UsAveraging::hour_1);
  if (!h1) return std::nullopt;
  if (detail::truncate_to(detail::to_ppb(Metric::so2, one), 1) >= kUsSo2Hour1TopPpb) {
    const Detail h24 = detail::us_sub_index_detail(Metric::so2, mean_of(kSo2, hour, 24, kUsMin24),
                                                   UsAveraging::nowcast_or_24h);
    if (h24 && h24->value > h1->value) return h24;
  }
  return h1;
}

IndexResult StationAqi::compute_us(int64_t hour) const {
  IndexResult r;
  Detail best;
  for (size_t p = 0; p < kPollutantCount; ++p) {
    const auto s = us_pollutant(p, hour);
    if (s && (!best || s->value > best->value)) {
      best = s;
      r.dominant = detail::pollutant_at(p);
    }
  }
  if (!best) {
    r.reason = "insufficient data: no pollutant has enough recent hours";
    return r;
  }
  r.valid = true;
  r.value = best->value;
  r.category = us_category(r.value);
  if (best->capped) {
    r.reason = "beyond the AQI: ";
    r.reason += metric_id(r.dominant);
    r.reason += " above the top breakpoint, capped at 500";
  }
  return r;
}

// --- India NAQI --------------------------------------------------------------------------------

Detail StationAqi::india_pollutant(size_t pollutant, int64_t hour) const {
  const Metric m = detail::pollutant_at(pollutant);
  const bool eight_hour = m == Metric::o3 || m == Metric::co;
  const double avg =
      eight_hour ? mean_of(pollutant, hour, 8, kInMin8) : mean_of(pollutant, hour, 24, kInMin24);
  return detail::india_sub_index_detail(m, avg);
}

IndexResult StationAqi::compute_india(int64_t hour) const {
  IndexResult r;
  Detail best;
  int count = 0;
  bool has_pm = false;
  for (size_t p = 0; p < kPollutantCount; ++p) {
    const auto s = india_pollutant(p, hour);
    if (!s) continue;
    ++count;
    const Metric m = detail::pollutant_at(p);
    has_pm = has_pm || m == Metric::pm25 || m == Metric::pm10;
    if (!best || s->value > best->value) {
      best = s;
      r.dominant = m;
    }
  }
  if (count < kInMinPollutants || !has_pm) {
    r.reason = "insufficient data: " + std::to_string(count) +
               " pollutant(s) with enough hours; NAQI needs >= 3 including pm25 or pm10";
    return r;
  }
  r.valid = true;
  r.value = best->value;
  r.category = india_category(r.value);
  if (best->capped) {
    r.reason = "above the Severe band: ";
    r.reason += metric_id(r.dominant);
    r.reason += " beyond the chosen cap, clamped at 500";
  }
  return r;
}

}  // namespace envmon::transforms::aqi
