#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "core/result.h"

namespace envmon::store::sqlite {

// Maps an SQLite result code to an envmon error: lock contention and I/O failures are retryable
// store_io (the sink backs off and retries), constraint violations are permanent store_constraint.
Error sqlite_error(int rc, std::string_view context, sqlite3* db);

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// A prepared statement bound and stepped through small typed helpers; reset after each use.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  // NaN is stored as NULL: a masked value has no number.
  void bind_real(int i, double v);
  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }
  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
  Result<bool> step();
  // Runs to completion (for INSERT/UPDATE), then resets.
  Status run();
  // Bindings are kept: every caller binds all parameters before the next step.
  void reset() { sqlite3_reset(stmt_); }

  int64_t col_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double col_real(int i) const;  // NULL -> NaN
  bool col_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string col_text(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One connection with its cache of prepared statements. Used by one thread at a time.
class Connection {
 public:
  explicit Connection(std::unique_ptr<sqlite3, DbDeleter> db) : db_(std::move(db)) {}
  static Result<std::unique_ptr<Connection>> open(const std::string& path, bool read_only);
  Status exec(const std::string& sql);
  // A cached prepared statement; the returned handle is valid while the connection lives.
  Result<Statement> prepare(const std::string& sql);
  sqlite3* handle() { return db_.get(); }

 private:
  std::unique_ptr<sqlite3, DbDeleter> db_;
  std::map<std::string, std::unique_ptr<sqlite3_stmt, StatementDeleter>> cache_;
};

// RAII transaction on the writer: rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c) : conn_(c) {}
  ~Transaction();
  Status begin();
  Status commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  Connection& conn_;
  bool open_ = false;
};

}  // namespace envmon::store::sqlite
