#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bus/bus.h"
#include "cache/cache.h"
#include "config/app_config.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "lake/raw_lake.h"
#include "sources/source.h"
#include "store/store.h"

namespace envmon::app {

// The registration table: every component type compiled into this binary, by kind. Adding a
// component means its folder plus one line in components.cc.
struct ComponentInfo {
  std::string kind;  // source, bus, store, lake, cache
  std::string type;
  std::string description;
};
const std::vector<ComponentInfo>& registered_components();
// False for providers whose terms forbid caching their data (WAQI): their raw readings stay out
// of the raw lake unless a source sets raw_lake_retention: keep.
bool source_keeps_raw_by_default(const std::string& type);
config::KnownTypes known_types();

// Every configurable section with its keys, for `envmon config schema`.
std::vector<config::SchemaDoc> all_schema_docs();

// Factories: they parse the type block through its schema and do no I/O.
Result<std::unique_ptr<sources::Source>> make_source(const config::SourceSection& section,
                                                     const config::AppConfig& app,
                                                     MetricsRegistry& metrics, const Clock& clock);
Result<std::unique_ptr<bus::Bus>> make_bus(const config::BackendSection& section,
                                           MetricsRegistry* registry = nullptr);
Result<std::unique_ptr<store::Store>> make_store(const config::BackendSection& section,
                                                 const std::string& data_dir);
Result<std::unique_ptr<lake::RawLake>> make_lake(const config::BackendSection& section,
                                                 const std::string& data_dir);
Result<std::unique_ptr<cache::Cache>> make_cache(const config::BackendSection& section);

// Builds (and discards) every component of `app` and parses every section: all config errors
// at once, with file, line and key. Starts nothing.
// Sources that would start disabled (no API key) are not errors; they are added to `notes`.
Status validate_components(const config::AppConfig& app, std::vector<std::string>* notes = nullptr);

}  // namespace envmon::app
