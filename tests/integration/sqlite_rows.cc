#include "integration/sqlite_rows.h"

#include <functional>
#include <stdexcept>
#include <vector>

#include <sqlite3.h>

namespace envmon::test {
namespace {

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path);
    }
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs `sql` with text parameters, calling `row` for each result row.
  void each(const std::string& sql, const std::vector<std::string>& params,
            const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("bad SQL: ") + sqlite3_errmsg(db_) + ": " + sql);
    }
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    while (sqlite3_step(st) == SQLITE_ROW)
      row(st);
    sqlite3_finalize(st);
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string column_text(sqlite3_stmt* st, int i) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st, i))) : std::string();
}

}  // namespace

ObservedTimes observed_times(const std::string& db, const std::string& source,
                             const std::string& station, int64_t resolution_secs) {
  ObservedTimes out;
  Db d(db);
  // Flags 16 (interpolated) and 128 (derived) are envmon's own rows, not the source's.
  d.each(
      "SELECT observed_at, metric, count(*) FROM measurements WHERE source = ? AND station_id = ? "
      "AND (flags & 144) = 0 GROUP BY observed_at, metric",
      {source, station}, [&](sqlite3_stmt* st) {
        const int64_t secs = sqlite3_column_int64(st, 0) / 1000;
        out.times.insert(secs / resolution_secs * resolution_secs);
        if (sqlite3_column_int64(st, 2) > 1) ++out.duplicates;
      });
  return out;
}

int64_t count_rows(const std::string& db, const std::string& sql) {
  int64_t n = -1;
  Db(db).each(sql, {}, [&](sqlite3_stmt* st) { n = sqlite3_column_int64(st, 0); });
  return n;
}

std::string measurements_checksum(const std::string& db) {
  uint64_t h = 1469598103934665603ULL;
  Db(db).each(
      "SELECT station_id, metric, observed_at, source, quote(value), flags FROM measurements "
      "ORDER BY station_id, metric, observed_at, source",
      {}, [&](sqlite3_stmt* st) {
        for (int i = 0; i < 6; ++i) {
          for (unsigned char c : column_text(st, i) + "|") {
            h ^= c;
            h *= 1099511628211ULL;
          }
        }
      });
  return std::to_string(h);
}

bool database_contains(const std::string& db, const std::string& needle) {
  Db d(db);
  std::vector<std::string> tables;
  d.each("SELECT name FROM sqlite_master WHERE type = 'table'", {},
         [&](sqlite3_stmt* st) { tables.push_back(column_text(st, 0)); });
  bool found = false;
  for (const auto& t : tables) {
    d.each("SELECT * FROM \"" + t + "\"", {}, [&](sqlite3_stmt* st) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (column_text(st, i).find(needle) != std::string::npos) found = true;
      }
    });
  }
  return found;
}

}  // namespace envmon::test
