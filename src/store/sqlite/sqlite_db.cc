#include "store/sqlite/sqlite_db.h"

#include <cmath>

namespace envmon::store::sqlite {

Error sqlite_error(int rc, std::string_view context, sqlite3* db) {
  std::string msg(context);
  msg += ": ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += " (sqlite ";
  msg += std::to_string(rc);
  msg += ")";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return Error(Errc::store_io, msg, Retryable::yes);
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return Error(Errc::store_constraint, msg, Retryable::no);
    default:
      return Error(Errc::store_io, msg, Retryable::no);
  }
}

void Statement::bind_real(int i, double v) {
  if (std::isnan(v)) {
    sqlite3_bind_null(stmt_, i);
  } else {
    sqlite3_bind_double(stmt_, i, v);
  }
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = sqlite_error(rc, "step", db_);
  reset();
  return e;
}

Status Statement::run() {
  auto r = step();
  reset();
  if (!r.ok()) return r.error();
  return ok_status();
}

double Statement::col_real(int i) const {
  if (col_null(i)) return std::nan("");
  return sqlite3_column_double(stmt_, i);
}

std::string Statement::col_text(int i) const {
  const auto* p = sqlite3_column_text(stmt_, i);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path, bool read_only) {
  sqlite3* raw = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (writer mutex / reader pool).
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (read_only ? 0 : SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, DbDeleter> holder(raw);
  if (rc != SQLITE_OK) return sqlite_error(rc, "opening " + path, raw);
  sqlite3_extended_result_codes(raw, 1);
  return std::make_unique<Connection>(std::move(holder));
}

Status Connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return sqlite_error(rc, sql.substr(0, 60), db_.get());
  return ok_status();
}

Result<Statement> Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(rc, "preparing " + sql.substr(0, 60), db_.get());
    it = cache_.emplace(sql, std::unique_ptr<sqlite3_stmt, StatementDeleter>(raw)).first;
  }
  return Statement(db_.get(), it->second.get());
}

Transaction::~Transaction() {
  if (open_) (void)conn_.exec("ROLLBACK");
}

Status Transaction::begin() {
  ENVMON_TRY(conn_.exec("BEGIN IMMEDIATE"));
  open_ = true;
  return ok_status();
}

Status Transaction::commit() {
  ENVMON_TRY(conn_.exec("COMMIT"));
  open_ = false;
  return ok_status();
}

}  // namespace envmon::store::sqlite
