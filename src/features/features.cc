#include "features/features.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/time.h"
#include "features/weather.h"
#include "model/metric.h"
#include "transforms/aqi/aqi.h"

namespace envmon::features {
namespace {

constexpr int kAqiHours = 24;
constexpr int kAqiMinValid = 18;  // 75% of the day, the EPA completeness rule for a 24-h mean

// A column's history ending at the current hour: at(0) is now, at(k) k hours ago. The offline
// and online paths both hand one of these to the same row function, so they cannot diverge.
struct LagView {
  const double* now;
  size_t available;
  double at(size_t k) const { return k < available ? *(now - k) : kNaN; }
};

struct WindowStats {
  double mean = kNaN, std = kNaN, min = kNaN, max = kNaN;
};

WindowStats window_stats(const LagView& v, int w) {
  WindowStats s;
  double sum = 0;
  int n = 0;
  for (int k = w - 1; k >= 0; --k) {  // oldest first, the same order on both paths
    const double x = v.at(static_cast<size_t>(k));
    if (!std::isfinite(x)) continue;
    sum += x;
    s.min = n == 0 ? x : std::min(s.min, x);
    s.max = n == 0 ? x : std::max(s.max, x);
    ++n;
  }
  if (n == 0) return s;
  s.mean = sum / n;
  double ss = 0;
  for (int k = w - 1; k >= 0; --k) {
    const double x = v.at(static_cast<size_t>(k));
    if (std::isfinite(x)) ss += (x - s.mean) * (x - s.mean);
  }
  s.std = std::sqrt(ss / n);
  return s;
}

double aqi_pm25(const LagView& pm) {
  const WindowStats s = window_stats(pm, kAqiHours);
  int n = 0;
  for (int k = 0; k < kAqiHours; ++k) n += std::isfinite(pm.at(static_cast<size_t>(k))) ? 1 : 0;
  if (n < kAqiMinValid) return kNaN;
  auto aqi = transforms::aqi::us_sub_index(Metric::pm25, s.mean,
                                           transforms::aqi::UsAveraging::nowcast_or_24h);
  return aqi ? *aqi : kNaN;
}

void append_calendar(std::vector<double>& out, int64_t unix_secs, int offset) {
  const LocalCalendar c = local_calendar(unix_secs, offset);
  const double day_angle = 2 * std::numbers::pi * c.hour_of_day / 24.0;
  const double year_angle = 2 * std::numbers::pi * c.day_of_year / 365.25;
  out.insert(out.end(), {double(c.hour), double(c.weekday), double(c.month), std::sin(day_angle),
                         std::cos(day_angle), std::sin(year_angle), std::cos(year_angle)});
}

void append_weather(std::vector<double>& out, const RawRow& r) {
  const double t = r[Raw::temperature];
  double dew = r[Raw::dew_point];
  double rh = r[Raw::humidity];
  if (!std::isfinite(dew)) dew = dew_point_c(t, rh);
  if (!std::isfinite(rh)) rh = relative_humidity(t, dew);
  const WindComponents w = wind_components(r[Raw::wind_speed], r[Raw::wind_dir_deg]);
  out.insert(out.end(), {t, dew, rh, heat_index_c(t, rh), rh * t, w.u, w.v, r[Raw::pressure],
                         r[Raw::precipitation]});
}

// The one row function both paths call.
void compute_row(const FeatureSpec& spec, int64_t unix_secs, int offset, const RawRow& filled,
                 const LagView& target, const LagView& pm25, std::vector<double>& out) {
  append_calendar(out, unix_secs, offset);
  out.push_back(target.at(0));
  for (int k : spec.lags) out.push_back(target.at(static_cast<size_t>(k)));
  for (int w : spec.windows) {
    const WindowStats s = window_stats(target, w);
    out.insert(out.end(), {s.mean, s.std, s.min, s.max});
  }
  append_weather(out, filled);
  out.push_back(aqi_pm25(pm25));
}

size_t history_needed(const FeatureSpec& spec) {
  int need = kAqiHours;
  for (int k : spec.lags) need = std::max(need, k + 1);
  for (int w : spec.windows) need = std::max(need, w);
  return static_cast<size_t>(need);
}

}  // namespace

LocalCalendar local_calendar(int64_t unix_secs, int utc_offset_secs) {
  const int64_t local = unix_secs + utc_offset_secs;
  int64_t days = local / 86400;
  int64_t rem = local % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const CivilDate d = civil_from_days(days);
  LocalCalendar c{};
  c.hour = static_cast<int>(rem / 3600);
  c.hour_of_day = static_cast<double>(rem) / 3600.0;
  c.weekday = static_cast<int>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  c.month = static_cast<int>(d.month);
  c.day_of_year = static_cast<int>(days - days_from_civil(d.year, 1, 1));
  return c;
}

std::vector<std::string> feature_names(const FeatureSpec& spec) {
  std::vector<std::string> n = {"hour",    "weekday", "month",  "hour_sin",
                                "hour_cos", "doy_sin", "doy_cos", "value"};
  for (int k : spec.lags) n.push_back("lag_" + std::to_string(k));
  for (int w : spec.windows) {
    for (const char* stat : {"mean", "std", "min", "max"}) {
      n.push_back(std::string("roll_") + stat + "_" + std::to_string(w));
    }
  }
  for (const char* w : {"temperature", "dew_point", "humidity", "heat_index",
                        "humidity_x_temperature", "wind_u", "wind_v", "pressure", "precipitation",
                        "aqi_pm25"}) {
    n.emplace_back(w);
  }
  return n;
}

size_t FeatureMatrix::column(const std::string& name) const {
  return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

double GapFiller::push(double x) {
  if (std::isfinite(x)) {
    last_ = x;
    age_ = 0;
    return x;
  }
  ++age_;
  return age_ <= max_hours_ ? last_ : kNaN;
}

FeatureMatrix compute_features(const RawFrame& frame, const FeatureSpec& spec) {
  FeatureMatrix m;
  m.names = feature_names(spec);
  m.rows = frame.size();
  m.values.reserve(m.rows * m.names.size());
  RawFrame filled = frame;
  for (auto& column : filled.cols) {
    GapFiller f(spec.max_fill_hours);
    for (double& x : column) x = f.push(x);
  }
  const auto& target = filled.col(spec.target);
  const auto& pm25 = filled.col(Raw::pm25);
  for (size_t i = 0; i < m.rows; ++i) {
    compute_row(spec, frame.time_at(i), frame.utc_offset_secs, filled.row(i),
                LagView{&target[i], i + 1}, LagView{&pm25[i], i + 1}, m.values);
  }
  return m;
}

OnlineFeatures::OnlineFeatures(FeatureSpec spec, int utc_offset_secs)
    : spec_(std::move(spec)),
      utc_offset_secs_(utc_offset_secs),
      names_(feature_names(spec_)),
      fillers_(kRawCount, GapFiller(spec_.max_fill_hours)),
      keep_(history_needed(spec_)) {}

std::vector<double> OnlineFeatures::push(int64_t unix_secs, const RawRow& row) {
  // Missing hours between two pushes are pushed as missing rows (the grid the offline path has).
  while (started_ && unix_secs - last_unix_ > 3600) push_one(last_unix_ + 3600, RawRow{});
  return push_one(unix_secs, row);
}

std::vector<double> OnlineFeatures::push_one(int64_t unix_secs, const RawRow& row) {
  started_ = true;
  last_unix_ = unix_secs;
  RawRow filled;
  for (size_t k = 0; k < kRawCount; ++k) filled.v[k] = fillers_[k].push(row.v[k]);
  for (auto* h : {&target_history_, &pm25_history_}) {
    // Trim in blocks so the buffer stays contiguous without shifting on every push.
    if (h->size() >= 4 * keep_) h->erase(h->begin(), h->end() - static_cast<ptrdiff_t>(keep_));
  }
  target_history_.push_back(filled[spec_.target]);
  pm25_history_.push_back(filled[Raw::pm25]);
  std::vector<double> out;
  out.reserve(names_.size());
  compute_row(spec_, unix_secs, utc_offset_secs_, filled,
              LagView{&target_history_.back(), target_history_.size()},
              LagView{&pm25_history_.back(), pm25_history_.size()}, out);
  return out;
}

}  // namespace envmon::features
