#pragma once

#include <string>
#include <vector>

#include "config/node.h"
#include "core/result.h"

namespace envmon::config {

// A station as configured: the processor enriches readings with its region and time zone.
struct StationConfig {
  std::string id;
  std::string name;
  double lat = 0;
  double lon = 0;
  std::string timezone;  // IANA name, e.g. Asia/Kolkata; validated against the tz database
  std::string region;
};
const Schema<StationConfig>& station_schema();

// A source instance. Common keys live here; type-specific keys sit in a block named after the
// type (tagged variant): `{name: sim, type: simulator, simulator: {seed: 7}}`.
// Whether a source's raw readings are kept in the raw lake. `provider_default` keeps them unless
// the provider's terms restrict caching (WAQI): see the source's entry in `envmon list`.
enum class RawLakeRetention { provider_default, keep, none };

struct SourceSection {
  std::string name;
  std::string type;
  int64_t poll_interval_secs = 300;
  int64_t allowed_lateness_secs = 3600;
  std::vector<std::string> stations;  // empty: every configured station
  RawLakeRetention raw_lake_retention = RawLakeRetention::provider_default;
  Node settings;                       // the `<type>:` block, parsed by the component's schema
  Node node;
};
const Schema<SourceSection>& source_schema();

// A backend role (bus, store, lake, cache, registry): `{type: sqlite, sqlite: {...}}`.
struct BackendSection {
  std::string type;
  Node settings;
  Node node;
};

struct AppConfig {
  std::string file;
  int64_t version = 1;
  std::string data_dir = "./data";
  std::string log_level = "info";
  std::vector<StationConfig> stations;
  std::vector<SourceSection> sources;
  BackendSection bus;
  BackendSection store;
  BackendSection lake;
  BackendSection cache;
  BackendSection registry;  // model registry: file (embedded), mlflow later
  Node processor;  // parsed by processor::parse_config
  Node api;        // parsed by api::parse_config
  Node analytics;  // parsed by analytics::parse_analytics_config

  const StationConfig* find_station(std::string_view id) const;
};

struct TopLevel {
  int64_t version = 1;
  std::string data_dir;
  std::string log_level;
};
const Schema<TopLevel>& top_level_schema();

// Parses and validates the whole file structure (stations, source common keys, backend types
// against `known_types`). Component blocks are validated by their own schemas afterwards.
struct KnownTypes {
  std::vector<std::string> sources, bus, store, lake, cache, registry;
};
Result<AppConfig> parse_app_config(const Node& root, const KnownTypes& known);

// The configuration compiled into the binary (configs/default.yaml): 12+ stations, simulator.
const std::string& embedded_default_config();

}  // namespace envmon::config
