// Pipeline outputs: curated readings (with gap fills), hourly aggregates and AQI.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "model/codec.h"
#include "processor/pipeline_impl.h"

namespace envmon::processor {
namespace {

bool is_aggregated(const Measurement& m) {
  return !is_masked(m.flags) && !has_flag(m.flags, Flag::interpolated) && std::isfinite(m.value);
}

}  // namespace

// Outputs carry the append time of the raw message that produced them, not the event time: a
// broker's time-based retention would otherwise delete backfilled history as soon as it is
// written. It is still deterministic (a replay of the same raw messages stamps the same times).
void Pipeline::Impl::emit_reading(const Reading& r, size_t station, Output& out) {
  const std::string& head = reading_head(r, station);
  out.add(bus::Topic::curated, station, stations[station].id, raw_appended,
          [&](std::string& payload) {
            if (payload.empty()) payload.reserve(320 + r.measurements.size() * 48);
            payload.append(head);
            encode_reading_tail(r, payload);
          });
}

namespace {
bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
}  // namespace

// encode_reading_head(r) of the station with index `station` (whose id r carries).
const std::string& Pipeline::Impl::reading_head(const Reading& r, size_t station) {
  if (reading_heads.size() <= station) reading_heads.resize(stations.size());
  ReadingHead& h = reading_heads[station];
  const StationRef& s = r.station;
  if (!h.bytes.empty() && h.source == r.source.get() && h.name == s.name &&
      h.provider_id == s.provider_id && same_bits(h.lat, s.lat) && same_bits(h.lon, s.lon)) {
    return h.bytes;
  }
  h.source = r.source.get();
  h.name = s.name;
  h.provider_id = s.provider_id;
  h.lat = s.lat;
  h.lon = s.lon;
  h.bytes.clear();
  encode_reading_head(r, h.bytes);
  return h.bytes;
}

const std::string& Pipeline::Impl::aggregate_head(StationState& st) {
  if (st.aggregate_head.empty())
    encode_aggregate_head(sources[st.source].name, stations[st.station].id, st.aggregate_head);
  return st.aggregate_head;
}

// Gap fills become curated readings of their own, one per fill time, before the reading itself.
void Pipeline::Impl::emit_fills(const Reading& r, size_t station, Output& out) {
  std::stable_sort(fills.begin(), fills.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  fill_reading.source = r.source;
  fill_reading.station = r.station;
  fill_reading.ingested_at = r.ingested_at;
  if (!fill_reading.enrichment) fill_reading.enrichment.emplace();
  for (size_t i = 0; i < fills.size();) {
    fill_reading.observed_at = fills[i].at;
    fill_reading.measurements.clear();
    for (; i < fills.size() && fills[i].at == fill_reading.observed_at; ++i) {
      fill_reading.measurements.push_back(fills[i].m);
    }
    enricher.enrich_at(station, fill_reading.observed_at, *fill_reading.enrichment);
    emit_reading(fill_reading, station, out);
  }
}

void Pipeline::Impl::aggregate(StationState& st, SourceState& src, Output& out) {
  const int64_t t_ms = to_unix_ms(reading.observed_at);
  for (const auto& m : reading.measurements) {
    if (!is_aggregated(m)) continue;
    const size_t k = metric_index(m.metric);
    transforms::HourBucket* bucket = nullptr;
    const int64_t watermark = src.partitions[st.partition].watermark_ms;
    switch (st.aggregate[k].add(t_ms, m.value, watermark, src.lateness_ms, bucket)) {
      case transforms::AddResult::pending:
        break;
      case transforms::AddResult::emit:
        emit_aggregate(st, m.metric, *bucket, out);
        break;
      case transforms::AddResult::too_late:
        ++counters.too_late;
        if (!st.too_late_logged[k]) {
          st.too_late_logged[k] = true;
          ctx.log.warn(
              "reading beyond allowed lateness: stored but not aggregated (logged once per series)",
              {{"station", reading.station.id.get()},
               {"source", src.name},
               {"metric", metric_id(m.metric)},
               {"observed_at", format_rfc3339(reading.observed_at)},
               {"allowed_lateness_secs", src.lateness_ms / 1000}});
        }
        break;
    }
  }
}

// Watermark = newest observed_at of the source minus one poll interval. Each time it crosses an
// hour boundary, every series of the source closes its finished hours and evicts old state.
void Pipeline::Impl::advance_watermark(SourceState& src, int32_t partition, int64_t observed_ms,
                                       Output& out) {
  PartitionClock& pc = src.partitions[partition];
  pc.max_observed_ms = std::max(pc.max_observed_ms, observed_ms);
  const int64_t wm = pc.max_observed_ms - src.poll_ms;
  if (wm <= pc.watermark_ms) return;
  pc.watermark_ms = wm;
  const int64_t hour =
      floor_to(from_unix_ms(wm), Millis(transforms::kHourMs)).time_since_epoch().count();
  if (hour <= pc.closed_through_ms) return;
  pc.closed_through_ms = hour;
  const int64_t keep_from = wm - src.lateness_ms - 25 * transforms::kHourMs;
  for (StationState* st : src.in_order) {
    if (st->partition != partition) continue;
    for (size_t k = 0; k < kMetricCount; ++k) {
      st->aggregate[k].close_until(wm, src.lateness_ms, [&](const transforms::HourBucket& b) {
        emit_aggregate(*st, static_cast<Metric>(k), b, out);
      });
    }
#if ENVMON_HAVE_AQI
    st->aqi.evict_before(from_unix_ms(keep_from));
#endif
    st->aqi_revision.erase(st->aqi_revision.begin(), st->aqi_revision.lower_bound(keep_from));
  }
}

void Pipeline::Impl::emit_aggregate(StationState& st, Metric metric,
                                    const transforms::HourBucket& b, Output& out) {
  const std::string& station_id = stations[st.station].id;
  Aggregate a;
  a.source = SourceId(sources[st.source].name);
  a.station = StationId(station_id);
  a.metric = metric;
  a.bucket_start = from_unix_ms(b.hour_ms);
  a.mean = b.mean();
  a.min = b.min;
  a.max = b.max;
  a.count = b.count;
  a.revision = b.revision;
  // After a restart the first replayed hour is partial: its stored aggregate is the right one.
  const bool partial = st.warm_from_ms != INT64_MIN && b.hour_ms < st.warm_from_ms;
  if (!partial) {
    out.add(bus::Topic::aggregates, st.station, station_id, raw_appended,
            [&](std::string& payload) {
              payload.append(aggregate_head(st));
              encode_aggregate_tail(a, payload);
            });
  }
  if (metric_info(metric).kind != MetricKind::pollutant) return;
#if ENVMON_HAVE_AQI
  st.aqi.set_hour(metric, a.bucket_start, a.mean);
#endif
  // A revised hour also changes the indices of the following hours already computed (NowCast
  // and 8/24-h means look back up to 24 h).
  const int64_t last = std::min(b.hour_ms + 23 * transforms::kHourMs, st.aqi_last_hour);
  for (int64_t h = b.hour_ms; h <= std::max(b.hour_ms, last); h += transforms::kHourMs) {
    aqi_tasks.push_back(AqiTask{st.ordinal, h});
  }
}

void Pipeline::Impl::run_aqi(Output& out) {
  if (aqi_tasks.empty()) return;
  std::sort(aqi_tasks.begin(), aqi_tasks.end());
  aqi_tasks.erase(std::unique(aqi_tasks.begin(), aqi_tasks.end()), aqi_tasks.end());
  for (const AqiTask& t : aqi_tasks)
    emit_aqi(*states[t.ordinal], t.hour_ms, out);
  aqi_tasks.clear();
}

void Pipeline::Impl::emit_aqi([[maybe_unused]] StationState& st, [[maybe_unused]] int64_t hour_ms,
                              [[maybe_unused]] Output& out) {
#if ENVMON_HAVE_AQI
  st.aqi_last_hour = std::max(st.aqi_last_hour, hour_ms);
  // After a restart, indices need 24 h of replayed history before they equal the stored ones.
  if (st.warm_from_ms != INT64_MIN && hour_ms < st.warm_from_ms + 24 * transforms::kHourMs) return;
  const config::StationConfig& sc = stations[st.station];
  const Timestamp hour = from_unix_ms(hour_ms);
  int32_t& revision = st.aqi_revision[hour_ms];
  bool any = false;
  for (auto [standard, metric] :
       {std::pair{transforms::aqi::Standard::us_epa, Metric::aqi_us},
        std::pair{transforms::aqi::Standard::india_naqi, Metric::aqi_in}}) {
    const transforms::aqi::IndexResult r = st.aqi.compute(standard, hour);
    if (!r.valid) continue;
    any = true;
    Aggregate a;
    a.source = SourceId(sources[st.source].name);
    a.station = StationId(sc.id);
    a.metric = metric;
    a.bucket_start = hour;
    a.mean = a.min = a.max = r.value;
    a.count = 1;
    a.revision = revision;
    a.dominant = std::string(metric_id(r.dominant));
    out.add(bus::Topic::aggregates, st.station, sc.id, raw_appended,
            [&](std::string& payload) {
              payload.append(aggregate_head(st));
              encode_aggregate_tail(a, payload);
            });

    fill_reading.source = a.source;
    fill_reading.station = StationRef{StationId(sc.id), sc.name, sc.lat, sc.lon};
    fill_reading.observed_at = hour;
    fill_reading.ingested_at = last_ingested;
    fill_reading.measurements.assign(
        1, Measurement{metric, r.value, std::nan(""), "", static_cast<FlagSet>(Flag::derived)});
    if (!fill_reading.enrichment) fill_reading.enrichment.emplace();
    enricher.enrich_at(st.station, hour, *fill_reading.enrichment);
    emit_reading(fill_reading, st.station, out);
  }
  if (any) ++revision;
#endif
}

void Pipeline::Impl::flush_open(Output& out) {
  for (SourceState& src : sources) {
    for (StationState* st : src.in_order) {
      for (size_t k = 0; k < kMetricCount; ++k) {
        st->aggregate[k].flush_open([&](const transforms::HourBucket& b) {
          emit_aggregate(*st, static_cast<Metric>(k), b, out);
        });
      }
    }
  }
  run_aqi(out);
}

}  // namespace envmon::processor
