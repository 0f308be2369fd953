#include "app/components.h"

#include <algorithm>

#include "analytics/analytics_config.h"
#include "api/api_config.h"
#include "bus/kafka/kafka_bus.h"
#include "bus/memory/memory_bus.h"
#include "cache/memory/memory_cache.h"
#include "eval/nab/nab_detectors.h"
#include "lake/curated_lake_config.h"
#include "lake/raw_lake_config.h"
#include "lake/s3/s3_object_store.h"
#include "models/isolation_forest/isolation_forest_config.h"
#include "processor/processor_config.h"
#include "registry/registry_factory.h"
#include "sinks/sink_config.h"
#include "sources/openmeteo/openmeteo_config.h"
#include "sources/openmeteo/openmeteo_source.h"
#include "sources/openweathermap/openweathermap_source.h"
#include "sources/simulator/simulator_config.h"
#include "sources/simulator/simulator_source.h"
#include "sources/waqi/waqi_source.h"
#include "store/postgres/pg_store_config.h"
#include "store/sqlite/sqlite_store_config.h"

namespace envmon::app {

const std::vector<ComponentInfo>& registered_components() {
  static const std::vector<ComponentInfo> list = {
      {"source", "simulator", "Deterministic weather and air-quality simulator with sensor faults"},
      {"source", "openweathermap", "OpenWeatherMap current weather, air pollution, One Call 3.0"},
      {"source", "waqi", "World Air Quality Index (aqicn.org) station feeds; US EPA sub-indices"},
      {"source", "openmeteo",
       "Open-Meteo forecast (current) and air quality; archive for backfill"},
      {"bus", "memory", "In-process bus: bounded partitions, back-pressure, consumer groups"},
      {"bus", "kafka", "Apache Kafka via librdkafka: idempotent producer, consumer groups"},
      {"store", "sqlite", "Embedded SQLite time-series store with idempotent upserts"},
      {"store", "postgres", "PostgreSQL: time partitions, binary COPY + idempotent merge, retention"},
      {"lake", "file", "Raw lake on the local filesystem: write-once zstd JSON lines"},
      {"lake", "s3", "Raw + curated lake on S3 or an S3-compatible server (SigV4, multipart)"},
      {"cache", "memory", "In-process LRU response cache with TTL"},
      {"registry", "file", "Model registry in a local directory (MLflow concepts, file locks)"},
  };
  return list;
}

bool source_keeps_raw_by_default(const std::string& type) {
  return type != "waqi";
}

config::KnownTypes known_types() {
  config::KnownTypes known;
  for (const auto& c : registered_components()) {
    if (c.kind == "source") known.sources.push_back(c.type);
    if (c.kind == "bus") known.bus.push_back(c.type);
    if (c.kind == "store") known.store.push_back(c.type);
    if (c.kind == "lake") known.lake.push_back(c.type);
    if (c.kind == "cache") known.cache.push_back(c.type);
    if (c.kind == "registry") known.registry.push_back(c.type);
  }
  return known;
}

std::vector<config::SchemaDoc> all_schema_docs() {
  std::vector<config::SchemaDoc> docs;
  auto add = [&](std::vector<config::SchemaDoc> more) {
    for (auto& d : more)
      docs.push_back(std::move(d));
  };
  docs.push_back({"(top level)", "File-wide settings", config::top_level_schema().specs()});
  docs.push_back({"stations[]", "The monitored stations", config::station_schema().specs()});
  docs.push_back({"sources[]",
                  "Keys every source takes; type-specific keys sit in a block named "
                  "after the type",
                  config::source_schema().specs()});
  add(sources::sim::simulator_schema_docs());
  add(sources::openweathermap_schema_docs());
  add(sources::waqi_schema_docs());
  add(sources::openmeteo::openmeteo_schema_docs());
  docs.push_back({"bus.memory", "In-process bus", bus::memory_bus_schema().specs()});
  add(bus::kafka_bus_schema_docs());
  add(store::sqlite::sqlite_store_schema_docs());
  add(store::postgres::pg_store_schema_docs());
  add(lake::file_lake_schema_docs());
  add(lake::s3::s3_lake_schema_docs());
  add(lake::curated_lake_schema_docs());
  add(cache::cache_schema_docs());
  add(registry::registry_schema_docs());
  add(processor::processor_schema_docs());
  add(api::api_schema_docs());
  add(analytics::analytics_schema_docs());
  add(models::isolation_forest::isolation_forest_schema_docs());
  add(eval::nab::nab_detector_schema_docs());
  return docs;
}

Result<std::unique_ptr<sources::Source>> make_source(const config::SourceSection& section,
                                                     const config::AppConfig& app,
                                                     MetricsRegistry& metrics, const Clock& clock) {
  sources::SourceSpec spec{&section, {}};
  for (const auto& st : app.stations) {
    const bool wanted = section.stations.empty() ||
                        std::find(section.stations.begin(), section.stations.end(), st.id) !=
                            section.stations.end();
    if (wanted) spec.stations.push_back(st);
  }
  ComponentContext ctx("source", section.type, section.name, metrics, clock);
  if (section.type == "simulator") return sources::make_simulator_source(spec, std::move(ctx));
  if (section.type == "openweathermap")
    return sources::make_openweathermap_source(spec, std::move(ctx));
  if (section.type == "waqi") return sources::make_waqi_source(spec, std::move(ctx));
  if (section.type == "openmeteo")
    return sources::openmeteo::make_openmeteo_source(spec, std::move(ctx));
  return section.node.child("type").error(Errc::config_bad_value,
                                          "no factory for this source type");
}

Result<std::unique_ptr<bus::Bus>> make_bus(const config::BackendSection& section,
                                           MetricsRegistry* registry) {
  if (section.type == "kafka") return bus::make_kafka_bus(section.settings, registry);
  bus::MemoryBusConfig cfg;
  ENVMON_TRY(config::fill(section.settings, bus::memory_bus_schema(), cfg));
  return bus::make_memory_bus(cfg);
}

Result<std::unique_ptr<store::Store>> make_store(const config::BackendSection& section,
                                                 const std::string& data_dir) {
  if (section.type == "postgres") return store::postgres::make_pg_store(section.settings);
  return store::sqlite::make_sqlite_store(section.settings, data_dir);
}

Result<std::unique_ptr<lake::RawLake>> make_lake(const config::BackendSection& section,
                                                 const std::string& data_dir) {
  if (section.type == "s3") return lake::s3::make_s3_lake(section.settings);
  return lake::make_file_lake(section.settings, data_dir);
}

Result<std::unique_ptr<cache::Cache>> make_cache(const config::BackendSection& section) {
  auto cfg = cache::parse_memory_cache_config(section.settings);
  if (!cfg.ok()) return cfg.error();
  return cache::make_memory_cache(*cfg);
}

Status validate_components(const config::AppConfig& app, std::vector<std::string>* notes) {
  std::vector<Error> errors;
  MetricsRegistry scratch;
  SystemClock clock;
  for (const auto& src : app.sources) {
    auto s = make_source(src, app, scratch, clock);
    if (s.ok()) continue;
    // A missing key is not a config error: the source is disabled at start-up, and said so.
    if (s.error().code() == Errc::source_auth) {
      if (notes)
        notes->push_back("source '" + src.name + "' will be disabled: " + s.error().message());
      continue;
    }
    errors.push_back(s.error());
  }
  // Kafka's factory connects; checking a config must not, so only its block is parsed.
  if (app.bus.type == "kafka") {
    auto k = bus::parse_kafka_bus_config(app.bus.settings);
    auto p = processor::parse_processor_config(app.processor);
    if (!k.ok()) errors.push_back(k.error());
    if (k.ok() && p.ok()) {
      Status fits = processor::check_batch_fits_bus(*p, app.processor, k->message_max_bytes,
                                                    app.bus.settings.child("message_max_bytes"));
      if (!fits.ok()) errors.push_back(fits.error());
    }
  } else if (auto b = make_bus(app.bus); !b.ok()) {
    errors.push_back(b.error());
  }
  if (auto s = make_store(app.store, app.data_dir); !s.ok()) errors.push_back(s.error());
  if (auto l = make_lake(app.lake, app.data_dir); !l.ok()) errors.push_back(l.error());
  if (auto c = lake::parse_curated_lake_config(app.lake.settings); !c.ok())
    errors.push_back(c.error());
  if (auto c = make_cache(app.cache); !c.ok()) errors.push_back(c.error());
  if (auto r = registry::make_registry(app.registry, app.data_dir); !r.ok())
    errors.push_back(r.error());
  if (auto p = processor::parse_processor_config(app.processor); !p.ok())
    errors.push_back(p.error());
  if (auto a = api::parse_api_config(app.api); !a.ok()) errors.push_back(a.error());
  if (auto a = analytics::parse_analytics_config(app.analytics); !a.ok())
    errors.push_back(a.error());
  return config::join_errors(errors);
}

}  // namespace envmon::app
