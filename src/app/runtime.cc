#include "app/runtime.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "analytics/analytics_stage.h"
#include "analytics/anomaly_sink.h"
#include "registry/registry_factory.h"
#include "api/api_server.h"
#include "processor/stream_processor.h"
#include "lake/curated_lake.h"
#include "sinks/lake_sink.h"
#include "sinks/parquet_lake/parquet_lake_sink.h"
#include "sinks/store_sink.h"

namespace envmon::app {
namespace {

constexpr std::pair<Role, std::string_view> kRoleNames[] = {{Role::sources, "sources"},
                                                            {Role::processor, "processor"},
                                                            {Role::sinks, "sinks"},
                                                            {Role::api, "api"}};

}  // namespace

Roles Roles::of(std::initializer_list<Role> roles) {
  unsigned bits = 0;
  for (Role r : roles)
    bits |= 1U << static_cast<unsigned>(r);
  return Roles(bits);
}

Result<Roles> Roles::parse(std::string_view text) {
  unsigned bits = 0;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view word = text.substr(0, comma);
    const auto it = std::find_if(std::begin(kRoleNames), std::end(kRoleNames),
                                 [&](const auto& n) { return n.second == word; });
    if (it == std::end(kRoleNames)) {
      return Error(Errc::invalid_argument, "unknown role '" + std::string(word) +
                                               "' (valid: sources, processor, sinks, api)");
    }
    bits |= 1U << static_cast<unsigned>(it->first);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  if (bits == 0)
    return Error(Errc::invalid_argument, "no role given (valid: sources, processor, sinks, api)");
  return Roles(bits);
}

std::string Roles::to_string() const {
  std::string out;
  for (const auto& [role, name] : kRoleNames) {
    if (!has(role)) continue;
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

Runtime::Runtime(config::AppConfig config, RuntimeOptions options)
    : config_(std::move(config)), options_(std::move(options)) {
  data_dir_ = options_.data_dir.empty() ? config_.data_dir : options_.data_dir;
  config_.data_dir = data_dir_;
}

Runtime::~Runtime() {
  stop();
}

Status Runtime::start() {
  std::error_code ec;
  std::filesystem::create_directories(data_dir_, ec);
  if (ec) return Error(Errc::io, "cannot create data dir " + data_dir_ + ": " + ec.message());
  ENVMON_TRY(open_storage());
  if (options_.clock == ClockMode::wall) {
    clock_ = std::make_unique<SystemClock>();
  } else {
    // The clock resumes where the stored data stops, so a restarted demo continues its day.
    clock_ = std::make_unique<ScaledClock>(resume_clock_start(), options_.speed);
  }
  if (auto policy = store_->retention_policy(); policy && options_.roles.has(Role::sinks)) {
    retention_ = std::make_unique<RetentionJob>(*store_, *policy, *clock_);
    retention_->start();
  }
  // Consumers before producers: every group exists before the first message is produced.
  if (options_.roles.has(Role::sinks)) ENVMON_TRY(start_sinks());
  if (options_.roles.has(Role::processor)) ENVMON_TRY(start_processor());
  if (options_.roles.has(Role::api)) ENVMON_TRY(start_api());
  if (options_.roles.has(Role::sources)) ENVMON_TRY(start_sources());
  ready_.store(true);
  log_.info("Envmon is running",
            {{"data_dir", data_dir_},
             {"roles", options_.roles.to_string()},
             {"api", options_.roles.has(Role::api)
                         ? "http://" + api_host() + ":" + std::to_string(api_port())
                         : std::string("off")},
             {"stations", config_.stations.size()},
             {"sources", sources_.size()},
             {"sources_disabled", disabled_.size()},
             {"speed", options_.speed}});
  return ok_status();
}

Status Runtime::open_storage() {
  auto store = make_store(config_.store, data_dir_);
  if (!store.ok()) return store.error();
  store_ = std::move(*store);
  ENVMON_TRY(store_->open());
  ENVMON_TRY(store_->upsert_stations(config_.stations));
  auto lake = make_lake(config_.lake, data_dir_);
  if (!lake.ok()) return lake.error();
  lake_ = std::move(*lake);
  auto curated = lake::parse_curated_lake_config(config_.lake.settings);
  if (!curated.ok()) return curated.error();
  if (curated->format == lake::CuratedFormat::parquet)
    curated_ = std::make_unique<lake::CuratedLake>(lake_->store(), *curated);
  auto cache = make_cache(config_.cache);
  if (!cache.ok()) return cache.error();
  cache_ = std::move(*cache);
  auto bus = make_bus(config_.bus, &metrics_);
  if (!bus.ok()) return bus.error();
  bus_ = std::move(*bus);
  return ok_status();
}

Timestamp Runtime::resume_clock_start() {
  Timestamp latest{};
  for (const auto& src : config_.sources) {
    auto progress = store_->source_progress(src.name);
    if (!progress.ok()) continue;
    for (const auto& [station, t] : *progress)
      latest = std::max(latest, t);
  }
  if (latest != Timestamp{}) {
    log_.info("Resuming from stored data", {{"clock_start", format_rfc3339(latest)}});
    return latest;
  }
  return SystemClock().now();
}

Status Runtime::start_processor() {
  auto pcfg = processor::parse_processor_config(config_.processor);
  if (!pcfg.ok()) return pcfg.error();
  processor_ =
      std::make_unique<processor::StreamProcessor>(*pcfg, config_, *bus_, metrics_, *clock_);
  ENVMON_TRY(processor_->start());
  return start_analytics();
}

// The online scoring stage runs beside the processor; its sink beside the store sink.
Status Runtime::start_analytics() {
  auto acfg = analytics::parse_analytics_config(config_.analytics);
  if (!acfg.ok()) return acfg.error();
  if (acfg->mode == analytics::AnalyticsMode::off) return ok_status();
  std::unique_ptr<registry::Registry> models;  // where the isolation forest's model lives
  if (acfg->detector != analytics::Detector::robust_zscore) {
    auto reg = registry::make_registry(config_.registry, config_.data_dir);
    if (!reg.ok()) return reg.error().with_context("analytics.detector needs the model registry");
    models = std::move(*reg);
  }
  analytics_ = std::make_unique<analytics::AnalyticsStage>(*acfg, *bus_, metrics_, *clock_,
                                                           std::move(models));
  return analytics_->start();
}

Status Runtime::start_sinks() {
  store_sink_ = std::make_unique<sinks::StoreSink>(
      ComponentContext("sink", "store", config_.store.type, metrics_, *clock_), *bus_, *store_,
      sinks::StoreSinkConfig{}, [this] { cache_->invalidate("api:"); });
  lake_sink_ = std::make_unique<sinks::LakeSink>(
      ComponentContext("sink", "lake", config_.lake.type, metrics_, *clock_), *bus_, *lake_,
      sinks::LakeSinkConfig{}, lake_excluded_sources());
  ENVMON_TRY(store_sink_->start());
  ENVMON_TRY(lake_sink_->start());
  if (curated_) {
    curated_sink_ = std::make_unique<sinks::ParquetLakeSink>(
        ComponentContext("sink", "parquet_lake", config_.lake.type, metrics_, *clock_), *bus_,
        *curated_, sinks::SinkConfig{});
    ENVMON_TRY(curated_sink_->start());
  }
  anomaly_sink_ = std::make_unique<analytics::AnomalySink>(
      ComponentContext("sink", "anomalies", config_.store.type, metrics_, *clock_), *bus_, *store_,
      sinks::SinkConfig{}, [this] { cache_->invalidate("api:"); });
  ENVMON_TRY(anomaly_sink_->start());
  return ok_status();
}

std::set<std::string> Runtime::lake_excluded_sources() const {
  std::set<std::string> out;
  for (const auto& s : config_.sources) {
    const bool keep = s.raw_lake_retention == config::RawLakeRetention::keep ||
                      (s.raw_lake_retention == config::RawLakeRetention::provider_default &&
                       source_keeps_raw_by_default(s.type));
    if (!keep) {
      out.insert(s.name);
      log_.info("Raw lake retention is off for this source",
                {{"source", s.name}, {"type", s.type}});
    }
  }
  return out;
}

Status Runtime::start_sources() {
  for (const auto& section : config_.sources) {
    auto source = make_source(section, config_, metrics_, *clock_);
    if (!source.ok() && source.error().code() == Errc::source_auth) {
      // Said once, clearly: the rest of the pipeline runs without this source.
      disabled_.push_back({section.name, source.error().message()});
      log_.warn(
          "Source disabled",
          {{"source", section.name}, {"type", section.type}, {"reason", source.error().message()}});
      continue;
    }
    if (!source.ok()) return source.error();
    auto progress = store_->source_progress(section.name);
    if (!progress.ok()) return progress.error();
    auto runner = std::make_unique<SourceRunner>(
        ComponentContext("source", section.type, section.name, metrics_, *clock_),
        std::move(*source), *bus_);
    ENVMON_TRY(runner->start(*progress));
    sources_.push_back(std::move(runner));
  }
  return ok_status();
}

Status Runtime::start_api() {
  auto acfg = api::parse_api_config(config_.api);
  if (!acfg.ok()) return acfg.error();
  if (options_.port) acfg->port = *options_.port;
  api_ = std::make_unique<api::ApiServer>(
      *acfg, *store_, *cache_, metrics_, [this] { return ready_.load(); }, clock_.get());
  return api_->start();
}

int Runtime::api_port() const {
  return api_ ? api_->port() : 0;
}

std::string Runtime::api_host() const {
  return api_ ? api_->host() : std::string("-");
}

std::optional<Error> Runtime::failure() const {
  if (processor_) return processor_->failure();
  return std::nullopt;
}

bool Runtime::wait_drained(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int64_t retained = 0;
    for (auto t :
         {bus::Topic::raw, bus::Topic::curated, bus::Topic::aggregates, bus::Topic::anomalies,
          bus::Topic::dead_letter}) {
      retained += bus_->stats(t).retained;
    }
    if (retained == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Runtime::stop() {
  if (!bus_) return;
  ready_.store(false);
  log_.info("Shutting down: stopping sources, draining the pipeline");
  for (auto& s : sources_)
    s->stop();
  if (processor_) processor_->stop();
  if (analytics_) analytics_->stop();
  if (store_sink_) store_sink_->stop();
  if (anomaly_sink_) anomaly_sink_->stop();
  if (lake_sink_) lake_sink_->stop();
  if (curated_sink_) curated_sink_->stop();
  if (api_) api_->stop();
  bus_->shutdown();
  if (retention_) retention_->stop();
  if (store_) store_->close();
  log_.info("Stopped cleanly: everything acknowledged is on disk");
  sources_.clear();
  processor_.reset();
  analytics_.reset();
  store_sink_.reset();
  anomaly_sink_.reset();
  lake_sink_.reset();
  curated_sink_.reset();
  api_.reset();
  bus_.reset();
}

}  // namespace envmon::app
