#pragma once
// Internal to the processor: the Pipeline's implementation, split over pipeline.cc (per-message
// stages) and pipeline_emit.cc (outputs, aggregation, AQI).

#include <memory>
#include <vector>

#include "config/app_config.h"
#include "core/component.h"
#include "model/reading.h"
#include "processor/pipeline.h"
#include "processor/pipeline_state.h"
#include "transforms/enrich/enrich.h"

namespace envmon::processor {

struct AqiTask {
  size_t ordinal;
  int64_t hour_ms;
  friend auto operator<=>(const AqiTask&, const AqiTask&) = default;
};

struct Pipeline::Impl {
  Impl(const ProcessorConfig& c, const config::AppConfig& app, ComponentContext context);

  // pipeline.cc
  void process(const bus::Message& raw, Output& out);
  bool prepare(const bus::Message& raw, size_t& station, Output& out);
  bool admit(const bus::Message& raw, Output& out);
  void drop_partition(int32_t partition);
  void dedupe(StationState& st);
  void dead_letter(const bus::Message& raw, std::string_view stage, const Error& e, Output& out);
  SourceState& source_for(std::string_view name);
  StationState& state_for(SourceState& src, size_t source_index, size_t station);
  void flush_metrics();

  // pipeline_emit.cc
  void emit_reading(const Reading& r, size_t station, Output& out);
  const std::string& reading_head(const Reading& r, size_t station);
  const std::string& aggregate_head(StationState& st);
  void emit_fills(const Reading& r, size_t station, Output& out);
  void aggregate(StationState& st, SourceState& src, Output& out);
  void advance_watermark(SourceState& src, int32_t partition, int64_t observed_ms, Output& out);
  void emit_aggregate(StationState& st, Metric m, const transforms::HourBucket& b, Output& out);
  void run_aqi(Output& out);
  void emit_aqi(StationState& st, int64_t hour_ms, Output& out);
  void flush_open(Output& out);

  ProcessorConfig cfg;
  ComponentContext ctx;
  std::vector<config::StationConfig> stations;
  IndexMap station_index;
  transforms::Enricher enricher;
  std::vector<config::SourceSection> source_config;
  std::vector<SourceState> sources;
  IndexMap source_index;
  size_t last_source = SIZE_MAX;  // index of the last source looked up
  std::vector<std::unique_ptr<StationState>> states;
  std::vector<ReadingHead> reading_heads;  // by station index

  // Scratch reused across messages (no per-measurement allocation on the hot path).
  Reading reading;
  Reading fill_reading;
  Enrichment spare_enrichment;  // moved in and out of `reading` to keep string capacity
  std::vector<transforms::FillPoint> fills;
  std::vector<AqiTask> aqi_tasks;
  Timestamp last_ingested{};
  Timestamp raw_appended{};  // bus time of the raw message being processed (outputs carry it)
  Counters counters;
  bool replaying = false;  // the message being processed is a replay: curated output suppressed
};

}  // namespace envmon::processor
