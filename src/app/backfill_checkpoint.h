#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/app_config.h"
#include "core/result.h"
#include "sources/openmeteo/openmeteo_archive.h"

namespace envmon::app {

// Which backfill chunks are already in the store, so a rerun (or a resumed, interrupted run)
// fetches nothing twice. One line per chunk: "FROM TO STATIONS_HASH", appended and fsynced only
// after the pipeline has stored the chunk. The hash covers the station set, so adding stations
// makes the same dates fetch again for the new set.
class BackfillCheckpoint {
 public:
  BackfillCheckpoint(const std::string& data_dir, const std::string& source,
                     const std::vector<config::StationConfig>& stations);
  Status load();
  bool done(sources::openmeteo::Date from, sources::openmeteo::Date to) const;
  Status mark_done(sources::openmeteo::Date from, sources::openmeteo::Date to);
  const std::string& path() const { return path_; }

 private:
  std::string line(sources::openmeteo::Date from, sources::openmeteo::Date to) const;

  std::string path_;
  std::string stations_hash_;
  std::set<std::string> done_;
};

}  // namespace envmon::app
