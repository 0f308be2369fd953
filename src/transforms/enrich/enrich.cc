#include "transforms/enrich/enrich.h"

#include <cstdlib>
#include <stdexcept>

namespace envmon::transforms {
namespace {

void append_digits(std::string& out, int64_t v, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<size_t>(width));
}

}  // namespace

void format_local_time(Timestamp t, const absl::TimeZone& tz, std::string& out, int32_t& offset_secs) {
  const int64_t ms = to_unix_ms(t);
  const absl::TimeZone::CivilInfo info = tz.At(absl::FromUnixMillis(ms));
  offset_secs = info.offset;
  const absl::CivilSecond cs = info.cs;
  out.clear();
  append_digits(out, cs.year(), 4);
  out.push_back('-');
  append_digits(out, cs.month(), 2);
  out.push_back('-');
  append_digits(out, cs.day(), 2);
  out.push_back('T');
  append_digits(out, cs.hour(), 2);
  out.push_back(':');
  append_digits(out, cs.minute(), 2);
  out.push_back(':');
  append_digits(out, cs.second(), 2);
  const int64_t frac = ((ms % 1000) + 1000) % 1000;
  if (frac != 0) {
    out.push_back('.');
    append_digits(out, frac, 3);
  }
  out.push_back(offset_secs < 0 ? '-' : '+');
  const int abs_off = std::abs(offset_secs);
  append_digits(out, abs_off / 3600, 2);
  out.push_back(':');
  append_digits(out, (abs_off % 3600) / 60, 2);
}

Enricher::Enricher(const std::vector<config::StationConfig>& stations) {
  zones_.reserve(stations.size());
  for (const auto& st : stations) {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(st.timezone, &tz)) {
      throw std::invalid_argument("station " + st.id + ": time zone '" + st.timezone +
                                  "' is not in the tz database");
    }
    zones_.push_back(Zone{st, tz});
  }
}

void Enricher::enrich_at(size_t index, Timestamp t, Enrichment& e) const {
  const Zone& z = zones_[index];
  e.region.assign(z.station.region);
  e.timezone.assign(z.station.timezone);
  format_local_time(t, z.tz, e.local_time, e.utc_offset_secs);
}

void Enricher::enrich(size_t index, Reading& r) const {
  const config::StationConfig& st = zones_[index].station;
  r.station.name.assign(st.name);
  r.station.lat = st.lat;
  r.station.lon = st.lon;
  if (!r.enrichment) r.enrichment.emplace();
  enrich_at(index, r.observed_at, *r.enrichment);
}

}  // namespace envmon::transforms
