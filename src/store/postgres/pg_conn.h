#pragma once
// Thin RAII wrappers over libpq: a connection, a result, parameter lists, the SQLSTATE -> Error
// mapping, binary COPY, and a fixed pool of connections that reconnect after a failure.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

#include "core/result.h"
#include "core/time.h"

namespace envmon::store::postgres {

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

// Maps a failed result (its SQLSTATE) or a broken connection to an envmon error. Connection
// loss (class 08, 57P0x shutdown), serialization failures and deadlocks (40001, 40P01) and
// resource exhaustion (53) are retryable store_io; integrity and data errors (23, 22: bad
// encoding, out of range) are permanent store_constraint; anything else is permanent store_io.
Error pg_error(const PGresult* res, PGconn* conn, std::string_view context);
Errc errc_for_sqlstate(std::string_view sqlstate, bool* retryable);

// Text-format query parameters (NULL for an absent value); kept alive for the call.
class Params {
 public:
  Params& add(std::string v);
  Params& add(int64_t v) { return add(std::to_string(v)); }
  Params& add_null();
  Params& add_real(double v);  // shortest exact text; NaN -> NULL
  Params& add_time(Timestamp t) { return add(to_unix_ms(t)); }  // unix ms; SQL wraps in ts()
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const;

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  mutable std::vector<const char*> ptrs_;
};

// A query's rows (text format), read with small typed helpers.
class Rows {
 public:
  explicit Rows(PgResultPtr r) : res_(std::move(r)) {}
  int size() const { return PQntuples(res_.get()); }
  bool null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string text(int row, int col) const;
  int64_t int64(int row, int col) const;
  double real(int row, int col) const;  // NULL -> NaN

 private:
  PgResultPtr res_;
};

class PgConnection {
 public:
  // `dsn` is a libpq connection string; `password` (may be empty) is passed beside it, never
  // formatted into a string that could be logged.
  static Result<std::unique_ptr<PgConnection>> connect(const std::string& dsn,
                                                        const std::string& password,
                                                        int64_t connect_timeout_secs);
  explicit PgConnection(std::unique_ptr<PGconn, PgConnDeleter> c) : conn_(std::move(c)) {}

  Status exec(const std::string& sql);                          // one or more statements
  // exec(), but an error with SQLSTATE `tolerated` answers false instead (the transaction is
  // then aborted: the caller rolls back to a savepoint).
  Result<bool> exec_tolerating(const std::string& sql, std::string_view tolerated);
  Result<Rows> query(const std::string& sql, const Params& p);  // one statement, $1.. params
  Status command(const std::string& sql, const Params& p);
  // COPY ... FROM STDIN (FORMAT binary) with `data` a complete PGCOPY stream.
  Status copy_in(const std::string& copy_sql, std::string_view data);
  // copy_in(), but an error with SQLSTATE `tolerated` answers false (as exec_tolerating).
  Result<bool> copy_in_tolerating(const std::string& copy_sql, std::string_view data,
                                  std::string_view tolerated);
  bool broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }
  // Per-connection state the store keeps (temp staging tables are per session).
  bool staging_ready = false;

 private:
  std::unique_ptr<PGconn, PgConnDeleter> conn_;
};

// A fixed number of connections; a lease whose connection broke is reconnected at the next
// acquire, so a server restart costs the callers a retryable error, not a dead store.
class PgPool {
 public:
  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> c) : pool_(&pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (pool_ != nullptr && conn_) pool_->release(std::move(conn_));
    }
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  void configure(std::string dsn, std::string password, int64_t size, int64_t timeout_secs);
  Result<Lease> acquire();
  // A lease only if an idle slot holds a live connection now; never connects, never waits.
  std::optional<Lease> try_acquire();
  // Waits for leased connections, then closes all; acquire() fails afterwards.
  void close();

 private:
  // Connects `c` when it is empty or broken; the slot goes back empty when that fails.
  Result<Lease> lease(std::unique_ptr<PgConnection> c);
  void release(std::unique_ptr<PgConnection> c);
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // null slots connect lazily
  int64_t leased_ = 0;
  bool open_ = false;
  std::string dsn_, password_;
  int64_t timeout_secs_ = 5;
};

// Runs `body` inside BEGIN/COMMIT on `c`; rolls back when it or the commit fails.
template <typename Body>
Status in_transaction(PgConnection& c, Body&& body) {
  if (Status s = c.exec("BEGIN"); !s.ok()) return s;
  Status s = body(c);
  if (s.ok()) s = c.exec("COMMIT");
  if (!s.ok() && !c.broken()) (void)c.exec("ROLLBACK");
  return s;
}

}  // namespace envmon::store::postgres
