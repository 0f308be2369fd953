#include "eval/datasets/store_frame.h"

#include <cmath>
#include <utility>

#include <absl/time/time.h>

#include "features/metric_columns.h"

namespace envmon::eval {
namespace {


Result<int> utc_offset(const config::StationConfig& s, Timestamp at) {
  if (s.timezone.empty()) return 0;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(s.timezone, &tz)) {
    return Error(Errc::invalid_argument, "station " + s.id + ": unknown timezone '" + s.timezone + "'");
  }
  return tz.At(absl::FromUnixMillis(to_unix_ms(at))).offset;
}

}  // namespace

Result<Dataset> read_store_dataset(store::Store& store, const std::string& station,
                                   Timestamp from, Timestamp to) {
  auto stations = store.stations();
  if (!stations.ok()) return stations.error();
  const config::StationConfig* info = nullptr;
  for (const auto& s : *stations) {
    if (s.id == station) info = &s;
  }
  if (info == nullptr) return Error(Errc::not_found, "no station '" + station + "' in the store");
  auto offset = utc_offset(*info, to);
  if (!offset.ok()) return offset.error();
  Dataset d;
  d.path = "store:" + station;
  d.name = station;
  d.layout = Layout::store;
  const Timestamp start = floor_to(from, Millis(3600000));
  d.frame.start_unix = to_unix_ms(start) / 1000;
  d.frame.utc_offset_secs = *offset;
  const int64_t hours = (to_unix_ms(to) - to_unix_ms(start) + 3599999) / 3600000;
  if (hours <= 0) return Error(Errc::invalid_argument, "empty time range");
  d.frame.resize(static_cast<size_t>(hours));
  for (const auto& [metric, raw] : features::kMetricColumns) {
    auto buckets = store.buckets(station, metric, start, to, Seconds(3600));
    if (!buckets.ok()) return buckets.error().with_context("reading " + station);
    for (const auto& b : *buckets) {
      const int64_t i = (to_unix_ms(b.start) - to_unix_ms(start)) / 3600000;
      if (i >= 0 && i < hours && b.count > 0) d.frame.col(raw)[static_cast<size_t>(i)] = b.mean;
    }
  }
  return d;
}

}  // namespace envmon::eval
