#include "config/app_config.h"

#include <algorithm>
#include <set>

#include <absl/time/time.h>

namespace envmon::config {

const Schema<StationConfig>& station_schema() {
  static const Schema<StationConfig> schema = [] {
    Schema<StationConfig> s("stations[]");
    s.string(
         "id", &StationConfig::id, std::nullopt,
         "Station id: lower-case letters, digits, '-' and '_' (used in messages, API and tables)")
        .string("name", &StationConfig::name, std::nullopt, "Human-readable station name")
        .number("lat", &StationConfig::lat, std::nullopt, "deg", -90, 90, "Latitude (WGS 84)")
        .number("lon", &StationConfig::lon, std::nullopt, "deg", -180, 180, "Longitude (WGS 84)")
        .string(
            "timezone", &StationConfig::timezone, std::nullopt,
            "IANA time zone (Europe/London); local time and UTC offset come from the tz database")
        .string("region", &StationConfig::region, std::string("default"),
                "Region label used for grouping, the lake's curated partitions and alert fan-out");
    return s;
  }();
  return schema;
}

const Schema<SourceSection>& source_schema() {
  static const Schema<SourceSection> schema = [] {
    Schema<SourceSection> s("sources[]");
    s.string("name", &SourceSection::name, std::nullopt, "Instance name, unique among sources")
        .string("type", &SourceSection::type, std::nullopt, "Source type (see `envmon list`)")
        .integer("poll_interval_secs", &SourceSection::poll_interval_secs, 300, "s", 1, 86400,
                 "How often each station is polled (simulator: reading cadence)")
        .integer("allowed_lateness_secs", &SourceSection::allowed_lateness_secs, 3600, "s", 0,
                 7 * 86400,
                 "How late a reading may arrive and still revise its aggregates (official feeds: "
                 "8-72 h)")
        .string_list("stations", &SourceSection::stations,
                     "Station ids this source covers; empty means every configured station")
        .enumeration(
            "raw_lake_retention", &SourceSection::raw_lake_retention,
            RawLakeRetention::provider_default,
            {{"provider_default", RawLakeRetention::provider_default},
             {"keep", RawLakeRetention::keep},
             {"none", RawLakeRetention::none}},
            "Keep this source's raw readings in the raw lake; provider_default is none for "
            "WAQI (its terms forbid caching and redistribution) and keep otherwise");
    return s;
  }();
  return schema;
}

const Schema<TopLevel>& top_level_schema() {
  static const Schema<TopLevel> schema = [] {
    Schema<TopLevel> s("(top level)");
    s.integer("version", &TopLevel::version, 1, "", 1, 1, "Config file format version")
        .string("data_dir", &TopLevel::data_dir, std::string("./data"),
                "Directory for the embedded store, the raw lake and state; relative paths in "
                "backend blocks are resolved against it")
        .string("log_level", &TopLevel::log_level, std::string("info"),
                "debug, info, warn or error");
    return s;
  }();
  return schema;
}

const StationConfig* AppConfig::find_station(std::string_view id) const {
  for (const auto& s : stations) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Status parse_stations(const Node& node, AppConfig& out, std::vector<Error>& errors) {
  if (!node.is_sequence() || node.size() == 0) {
    return node.error(Errc::config_missing_key, "expected a non-empty list of stations");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    const Node item = node.item(i);
    StationConfig st;
    if (Status s = fill(item, station_schema(), st); !s.ok()) {
      errors.push_back(s.error());
      continue;
    }
    if (!valid_id(st.id)) {
      errors.push_back(item.child("id").error(
          Errc::config_bad_value, "'" + st.id + "' is not a valid id (a-z, 0-9, '-', '_')"));
    } else if (!seen.insert(st.id).second) {
      errors.push_back(
          item.child("id").error(Errc::config_bad_value, "duplicate station id '" + st.id + "'"));
    }
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(st.timezone, &tz)) {
      errors.push_back(
          item.child("timezone")
              .error(Errc::config_bad_value, "unknown time zone '" + st.timezone +
                                                 "' (an IANA name such as Asia/Kolkata)"));
    }
    out.stations.push_back(std::move(st));
  }
  return ok_status();
}

void parse_sources(const Node& node, const KnownTypes& known, AppConfig& out,
                   std::vector<Error>& errors) {
  if (!node.defined()) return;
  if (!node.is_sequence()) {
    errors.push_back(node.error(Errc::config_bad_value, "expected a list of sources"));
    return;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < node.size(); ++i) {
    const Node item = node.item(i);
    SourceSection src;
    std::vector<std::string> passthrough(known.sources.begin(), known.sources.end());
    if (Status s = fill(item, source_schema(), src, passthrough); !s.ok()) {
      errors.push_back(s.error());
      continue;
    }
    if (std::find(known.sources.begin(), known.sources.end(), src.type) == known.sources.end()) {
      errors.push_back(item.child("type").error(
          Errc::config_bad_value,
          "unknown source type '" + src.type + "'; valid choices: " + join(known.sources)));
      continue;
    }
    for (const auto& other : known.sources) {
      if (other != src.type && item.child(other).defined()) {
        errors.push_back(item.child(other).error(
            Errc::config_unknown_key,
            "block '" + other + "' does not match type '" + src.type + "'"));
      }
    }
    if (!names.insert(src.name).second) {
      errors.push_back(item.child("name").error(Errc::config_bad_value,
                                                "duplicate source name '" + src.name + "'"));
    }
    for (size_t k = 0; k < src.stations.size(); ++k) {
      if (out.find_station(src.stations[k]) == nullptr) {
        errors.push_back(
            item.child("stations")
                .item(k)
                .error(Errc::config_bad_value, "unknown station '" + src.stations[k] + "'"));
      }
    }
    src.settings = item.child(src.type);
    src.node = item;
    out.sources.push_back(std::move(src));
  }
}

BackendSection parse_backend(const Node& root, std::string_view role,
                             const std::vector<std::string>& types, std::vector<Error>& errors) {
  BackendSection b;
  b.node = root.child(role);
  b.type = types.empty() ? "" : types.front();  // the embedded default comes first
  if (!b.node.defined()) return b;
  if (!b.node.is_map()) {
    errors.push_back(b.node.error(Errc::config_bad_value, "expected a mapping with a 'type' key"));
    return b;
  }
  for (const auto& key : b.node.keys()) {
    if (key == "type") continue;
    if (std::find(types.begin(), types.end(), key) == types.end()) {
      errors.push_back(b.node.child(key).error(Errc::config_unknown_key,
                                               "unknown key; valid keys: type, " + join(types)));
    }
  }
  if (auto t = b.node.child("type"); t.defined()) {
    auto text = t.scalar();
    if (!text.ok() || std::find(types.begin(), types.end(), *text) == types.end()) {
      errors.push_back(t.error(Errc::config_bad_value, "unknown " + std::string(role) +
                                                           " type; valid choices: " + join(types)));
      return b;
    }
    b.type = *text;
  }
  b.settings = b.node.child(b.type);
  return b;
}

}  // namespace

Result<AppConfig> parse_app_config(const Node& root, const KnownTypes& known) {
  AppConfig out;
  out.file = root.file();
  std::vector<Error> errors;
  static const std::vector<std::string> kSections = {
      "stations", "sources", "bus", "store", "lake", "cache", "registry", "processor", "api",
      "analytics"};
  TopLevel top;
  if (Status s = fill(root, top_level_schema(), top, kSections); !s.ok())
    errors.push_back(s.error());
  out.version = top.version;
  out.data_dir = top.data_dir;
  out.log_level = top.log_level;
  if (Status s = parse_stations(root.child("stations"), out, errors); !s.ok())
    errors.push_back(s.error());
  parse_sources(root.child("sources"), known, out, errors);
  out.bus = parse_backend(root, "bus", known.bus, errors);
  out.store = parse_backend(root, "store", known.store, errors);
  out.lake = parse_backend(root, "lake", known.lake, errors);
  out.cache = parse_backend(root, "cache", known.cache, errors);
  out.registry = parse_backend(root, "registry", known.registry, errors);
  out.processor = root.child("processor");
  out.api = root.child("api");
  out.analytics = root.child("analytics");
  if (!errors.empty()) return join_errors(errors).error();
  return out;
}

}  // namespace envmon::config
