#include "processor/pipeline.h"

#include <algorithm>
#include <string>

#include "model/codec.h"
#include "processor/pipeline_impl.h"
#include "transforms/normalize/normalize.h"
#include "transforms/validate/validate.h"

namespace envmon::processor {

Pipeline::Impl::Impl(const ProcessorConfig& c, const config::AppConfig& app,
                     ComponentContext context)
    : cfg(c),
      ctx(std::move(context)),
      stations(app.stations),
      enricher(app.stations),
      source_config(app.sources) {
  for (size_t i = 0; i < stations.size(); ++i)
    station_index.emplace(stations[i].id, i);
  for (const auto& s : source_config)
    source_for(s.name);
}

SourceState& Pipeline::Impl::source_for(std::string_view name) {
  // Readings come mostly from one source: compared before hashed.
  if (last_source < sources.size() && sources[last_source].name == name)
    return sources[last_source];
  if (auto it = source_index.find(name); it != source_index.end()) {
    last_source = it->second;
    return sources[it->second];
  }
  SourceState s;
  s.name = std::string(name);
  const auto cfg_it = std::find_if(source_config.begin(), source_config.end(),
                                   [&](const auto& sc) { return sc.name == name; });
  if (cfg_it != source_config.end()) {
    s.poll_ms = cfg_it->poll_interval_secs * 1000;
    s.lateness_ms = cfg_it->allowed_lateness_secs * 1000;
  } else {
    ctx.log.warn("readings from a source that is not configured: using default timing",
                 {{"source", name},
                  {"poll_interval_ms", s.poll_ms},
                  {"allowed_lateness_ms", s.lateness_ms}});
  }
  s.by_station.assign(stations.size(), nullptr);
  source_index.emplace(s.name, sources.size());
  sources.push_back(std::move(s));
  return sources.back();
}

StationState& Pipeline::Impl::state_for(SourceState& src, size_t source_index_value,
                                        size_t station) {
  StationState*& slot = src.by_station[station];
  if (slot == nullptr) {
    auto st = std::make_unique<StationState>();
    st->ordinal = states.size();
    st->source = source_index_value;
    st->station = station;
    slot = st.get();
    src.in_order.push_back(st.get());
    states.push_back(std::move(st));
  }
  return *slot;
}

bus::Message dead_letter_of(const bus::Message& m, std::string_view topic, std::string_view stage,
                            const Error& e, int64_t max_message_bytes) {
  const bool clip = m.payload.size() > static_cast<size_t>(max_message_bytes);
  DeadLetter d{std::string(stage),
               std::string(errc_name(e.code())),
               e.message(),
               std::string(topic),
               m.key,
               clip ? m.payload.substr(0, kDeadLetterPayloadBytes) : m.payload,
               m.timestamp};
  bus::Message out;
  out.topic = bus::Topic::dead_letter;
  out.key = m.key;
  out.payload = encode_dead_letter(d);
  out.timestamp = m.timestamp;
  return out;
}

void Pipeline::Impl::dead_letter(const bus::Message& raw, std::string_view stage, const Error& e,
                                 Output& out) {
  out.dead_letters.push_back(
      dead_letter_of(raw, "raw", stage, e, cfg.runtime.max_message_bytes));
  ++counters.errors[{std::string(stage), std::string(errc_name(e.code()))}];
}

// Checks of the envelope, before the payload is parsed: a message the processor cannot read
// safely is dead-lettered with the reason instead of guessed at.
bool Pipeline::Impl::admit(const bus::Message& raw, Output& out) {
  if (raw.schema_version != kSchemaVersion) {
    dead_letter(raw, "decode",
                Error(Errc::decode_version,
                      "unknown schema version " + std::to_string(raw.schema_version) +
                          " (this processor reads version " + std::to_string(kSchemaVersion) + ")"),
                out);
    return false;
  }
  if (raw.payload.size() > static_cast<size_t>(cfg.runtime.max_message_bytes)) {
    dead_letter(raw, "decode",
                Error(Errc::decode_syntax,
                      "oversized message: " + std::to_string(raw.payload.size()) +
                          " bytes, the limit is " + std::to_string(cfg.runtime.max_message_bytes) +
                          " (processor.max_message_bytes); payload clipped to " +
                          std::to_string(kDeadLetterPayloadBytes) + " bytes"),
                out);
    return false;
  }
  return true;
}

// decode -> validate -> normalize -> enrich; false when the message was dead-lettered or empty.
bool Pipeline::Impl::prepare(const bus::Message& raw, size_t& station, Output& out) {
  if (!admit(raw, out)) return false;
  if (Status s = decode_reading_into(raw.payload, reading); !s.ok()) {
    dead_letter(raw, "decode", s.error(), out);
    return false;
  }
  // A source that did not stamp ingest time gets the bus append time (deterministic on replay).
  if (reading.ingested_at == Timestamp{}) reading.ingested_at = raw.timestamp;
  const auto it = station_index.find(reading.station.id.get());
  auto v = transforms::validate_reading(reading, it != station_index.end(), cfg.validate);
  if (!v.ok()) {
    dead_letter(raw, "validate", v.error(), out);
    return false;
  }
  counters.null_value += static_cast<int64_t>(v->nulls_dropped);
  counters.clock_skew += v->clock_skew ? 1 : 0;
  if (reading.measurements.empty()) {
    ++counters.all_null;
    return false;
  }
  if (Status s = transforms::normalize_units(reading); !s.ok()) {
    dead_letter(raw, "normalize", s.error(), out);
    return false;
  }
  station = it->second;
  reading.enrichment = std::move(spare_enrichment);
  enricher.enrich(station, reading);
  return true;
}

void Pipeline::Impl::dedupe(StationState& st) {
  const int64_t t_ms = to_unix_ms(reading.observed_at);
  const int64_t window_ms = cfg.dedupe.dedupe_window_secs * 1000;
  std::erase_if(reading.measurements, [&](const Measurement& m) {
    const size_t k = metric_index(m.metric);
    switch (st.dedupe[k].check(t_ms, m.value, window_ms)) {
      case transforms::DedupeVerdict::fresh:
        return false;
      case transforms::DedupeVerdict::duplicate:
        ++counters.duplicate;
        return true;
      case transforms::DedupeVerdict::conflict:
        ++counters.conflict;
        if (!st.conflict_logged[k]) {
          st.conflict_logged[k] = true;
          ctx.log.warn("conflicting duplicate: kept the first value (logged once per series)",
                       {{"station", reading.station.id.get()},
                        {"source", reading.source.get()},
                        {"metric", metric_id(m.metric)},
                        {"observed_at", format_rfc3339(reading.observed_at)}});
        }
        return true;
    }
    return false;
  });
}

void Pipeline::Impl::process(const bus::Message& raw, Output& out) {
  ++counters.received;
  raw_appended = raw.timestamp;
  size_t station = 0;
  if (!prepare(raw, station, out)) return;
  last_ingested = reading.ingested_at;
  SourceState& src = source_for(reading.source.get());
  StationState& st = state_for(src, static_cast<size_t>(&src - sources.data()), station);
  st.partition = raw.partition;
  if (raw.replay && st.warm_from_ms == INT64_MIN) st.warm_from_ms = to_unix_ms(reading.observed_at);
  replaying = raw.replay;
  dedupe(st);
  if (reading.measurements.empty()) return;  // every measurement was a duplicate (counted)
  fills.clear();
  for (auto& m : reading.measurements) {
    st.clean[metric_index(m.metric)].clean(reading.observed_at, m, cfg.clean, src.poll_ms, fills);
  }
  // A replayed reading (and any gap it fills) is already in the store: learn, do not re-emit.
  if (!replaying) {
    if (!fills.empty()) emit_fills(reading, station, out);
    emit_reading(reading, station, out);
  }
  spare_enrichment = std::move(*reading.enrichment);
  aggregate(st, src, out);
  advance_watermark(src, raw.partition, to_unix_ms(reading.observed_at), out);
  run_aqi(out);
}

void Pipeline::Impl::drop_partition(int32_t partition) {
  for (auto& st : states) {
    if (st->partition != partition) continue;
    auto fresh = std::make_unique<StationState>();
    fresh->ordinal = st->ordinal;
    fresh->source = st->source;
    fresh->station = st->station;
    fresh->partition = partition;
    *st = std::move(*fresh);  // in place: sources keep pointers to their stations' states
  }
  for (auto& src : sources)
    src.partitions.erase(partition);
}

void Pipeline::Impl::flush_metrics() {
  auto& m = *ctx.metrics;
  if (counters.received) m.received(static_cast<double>(counters.received));
  const std::pair<const char*, int64_t> discards[] = {
      {"null_value", counters.null_value},
      {"all_null", counters.all_null},
      {"duplicate", counters.duplicate},
      {"conflict", counters.conflict},
      {"too_late_for_aggregate", counters.too_late}};
  for (const auto& [reason, n] : discards) {
    if (n) m.discarded(reason, static_cast<double>(n));
  }
  if (counters.clock_skew)
    m.error("validate", "clock_skew", static_cast<double>(counters.clock_skew));
  for (const auto& [key, n] : counters.errors)
    m.error(key.first, key.second, static_cast<double>(n));
  counters = Counters{};
}

Pipeline::Pipeline(const ProcessorConfig& cfg, const config::AppConfig& app, ComponentContext ctx)
    : impl_(std::make_unique<Impl>(cfg, app, std::move(ctx))) {}
Pipeline::~Pipeline() = default;
void Pipeline::process(const bus::Message& raw, Output& out) {
  impl_->process(raw, out);
}
void Pipeline::flush_open(Output& out) {
  impl_->flush_open(out);
  impl_->flush_metrics();
}
void Pipeline::flush_metrics() {
  impl_->flush_metrics();
}
void Pipeline::drop_partition(int32_t partition) {
  impl_->drop_partition(partition);
}

}  // namespace envmon::processor
