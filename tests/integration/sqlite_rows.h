#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace envmon::test {

// Read-only looks into an envmon SQLite store, as an operator would with sqlite3.
struct ObservedTimes {
  std::set<int64_t> times;  // unix seconds, floored to the resolution asked for
  int64_t duplicates = 0;   // the same (metric, observed_at) stored more than once
};
// Observation times of one source and station, without the cleaner's interpolated rows and the
// derived (AQI) ones: exactly what the source delivered.
ObservedTimes observed_times(const std::string& db, const std::string& source,
                             const std::string& station, int64_t resolution_secs);
int64_t count_rows(const std::string& db, const std::string& sql);
// A checksum over every measurement row (key and value), to prove a rerun changed nothing.
std::string measurements_checksum(const std::string& db);
// Whether `needle` occurs in any text or blob column of any table.
bool database_contains(const std::string& db, const std::string& needle);

}  // namespace envmon::test
