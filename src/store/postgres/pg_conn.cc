#include "store/postgres/pg_conn.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace envmon::store::postgres {

Errc errc_for_sqlstate(std::string_view state, bool* retryable) {
  *retryable = false;
  const std::string_view cls = state.substr(0, 2);
  if (cls == "08" || cls == "53" || state == "40001" || state == "40P01" ||
      state.starts_with("57P0") || state == "55P03") {
    *retryable = true;
    return Errc::store_io;
  }
  if (cls == "23" || cls == "22") return Errc::store_constraint;
  if (cls == "42" || cls == "3F") return Errc::store_schema;
  return Errc::store_io;
}

Error pg_error(const PGresult* res, PGconn* conn, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string text = res != nullptr ? PQresultErrorMessage(res) : "";
  if (text.empty() && conn != nullptr) text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  msg += text.empty() ? "unknown PostgreSQL error" : text;
  // No SQLSTATE and a dead connection: the server went away mid-call.
  if (state == nullptr) {
    const bool lost = conn == nullptr || PQstatus(conn) != CONNECTION_OK;
    return Error(Errc::store_io, msg, lost ? Retryable::yes : Retryable::no);
  }
  msg += " (sqlstate ";
  msg += state;
  msg += ")";
  bool retry = false;
  const Errc code = errc_for_sqlstate(state, &retry);
  return Error(code, msg, retry ? Retryable::yes : Retryable::no);
}

Params& Params::add(std::string v) {
  values_.push_back(std::move(v));
  null_.push_back(false);
  return *this;
}

Params& Params::add_null() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

Params& Params::add_real(double v) {
  if (std::isnan(v)) return add_null();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return add(std::string(buf, end));
}

const char* const* Params::values() const {
  ptrs_.clear();
  for (size_t i = 0; i < values_.size(); ++i)
    ptrs_.push_back(null_[i] ? nullptr : values_[i].c_str());
  return ptrs_.data();
}

std::string Rows::text(int row, int col) const {
  return std::string(PQgetvalue(res_.get(), row, col),
                     static_cast<size_t>(PQgetlength(res_.get(), row, col)));
}

int64_t Rows::int64(int row, int col) const {
  return std::strtoll(PQgetvalue(res_.get(), row, col), nullptr, 10);
}

double Rows::real(int row, int col) const {
  if (null(row, col)) return std::nan("");
  return std::strtod(PQgetvalue(res_.get(), row, col), nullptr);
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& dsn,
                                                              const std::string& password,
                                                              int64_t connect_timeout_secs) {
  const std::string timeout = std::to_string(connect_timeout_secs);
  std::vector<const char*> keys = {"dbname", "connect_timeout", "application_name"};
  std::vector<const char*> vals = {dsn.c_str(), timeout.c_str(), "envmon"};
  if (!password.empty()) {
    keys.push_back("password");
    vals.push_back(password.c_str());
  }
  keys.push_back(nullptr);
  vals.push_back(nullptr);
  std::unique_ptr<PGconn, PgConnDeleter> c(PQconnectdbParams(keys.data(), vals.data(), 1));
  if (!c) return Error(Errc::store_io, "postgres: out of memory connecting", Retryable::yes);
  if (PQstatus(c.get()) != CONNECTION_OK) {
    std::string text = PQerrorMessage(c.get());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    // Bad credentials or a missing database will not heal by retrying; a refused or timed-out
    // connection (server restarting) will.
    const bool permanent = text.find("authentication failed") != std::string::npos ||
                           text.find("does not exist") != std::string::npos;
    return Error(Errc::store_io, "postgres: connecting: " + text,
                 permanent ? Retryable::no : Retryable::yes);
  }
  PQsetNoticeProcessor(c.get(), [](void*, const char*) {}, nullptr);  // IF NOT EXISTS chatter
  return std::make_unique<PgConnection>(std::move(c));
}

Status PgConnection::exec(const std::string& sql) {
  PgResultPtr r(PQexec(conn_.get(), sql.c_str()));
  const auto st = PQresultStatus(r.get());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return ok_status();
  return pg_error(r.get(), conn_.get(), "postgres");
}

Result<bool> PgConnection::exec_tolerating(const std::string& sql, std::string_view tolerated) {
  PgResultPtr r(PQexec(conn_.get(), sql.c_str()));
  const auto st = PQresultStatus(r.get());
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return true;
  const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
  if (state != nullptr && tolerated == state) return false;
  return pg_error(r.get(), conn_.get(), "postgres");
}

Result<Rows> PgConnection::query(const std::string& sql, const Params& p) {
  PgResultPtr r(PQexecParams(conn_.get(), sql.c_str(), p.size(), nullptr, p.values(), nullptr,
                             nullptr, 0));
  const auto st = PQresultStatus(r.get());
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return Rows(std::move(r));
  return pg_error(r.get(), conn_.get(), "postgres");
}

Status PgConnection::command(const std::string& sql, const Params& p) {
  auto r = query(sql, p);
  if (!r.ok()) return r.error();
  return ok_status();
}

Status PgConnection::copy_in(const std::string& copy_sql, std::string_view data) {
  auto r = copy_in_tolerating(copy_sql, data, {});
  if (!r.ok()) return r.error();
  return ok_status();
}

Result<bool> PgConnection::copy_in_tolerating(const std::string& copy_sql, std::string_view data,
                                              std::string_view tolerated) {
  PgResultPtr start(PQexec(conn_.get(), copy_sql.c_str()));
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) {
    return pg_error(start.get(), conn_.get(), "postgres: starting COPY");
  }
  // Sent in slices so libpq's buffer stays small; the server parses as bytes arrive.
  constexpr size_t kSlice = 1 << 20;
  for (size_t off = 0; off < data.size(); off += kSlice) {
    const size_t n = std::min(kSlice, data.size() - off);
    if (PQputCopyData(conn_.get(), data.data() + off, static_cast<int>(n)) != 1) {
      return pg_error(nullptr, conn_.get(), "postgres: sending COPY data");
    }
  }
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) {
    return pg_error(nullptr, conn_.get(), "postgres: ending COPY");
  }
  PgResultPtr end(PQgetResult(conn_.get()));
  Result<bool> out = true;
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(end.get(), PG_DIAG_SQLSTATE);
    if (state != nullptr && !tolerated.empty() && tolerated == state) {
      out = false;
    } else {
      out = pg_error(end.get(), conn_.get(), "postgres: COPY");
    }
  }
  while (PgResultPtr more{PQgetResult(conn_.get())}) {
  }
  return out;
}

void PgPool::configure(std::string dsn, std::string password, int64_t size,
                       int64_t timeout_secs) {
  std::lock_guard lock(mutex_);
  dsn_ = std::move(dsn);
  password_ = std::move(password);
  timeout_secs_ = timeout_secs;
  idle_.clear();
  idle_.resize(static_cast<size_t>(size));
  open_ = true;
}

Result<PgPool::Lease> PgPool::acquire() {
  std::unique_ptr<PgConnection> c;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !open_ || !idle_.empty(); });
    if (!open_) return Error(Errc::store_io, "postgres store is not open", Retryable::no);
    c = std::move(idle_.back());
    idle_.pop_back();
    ++leased_;
  }
  return lease(std::move(c));
}

std::optional<PgPool::Lease> PgPool::try_acquire() {
  std::lock_guard lock(mutex_);
  if (!open_) return std::nullopt;
  // Only a connected slot: connecting could wait up to connect_timeout_secs.
  auto usable = std::find_if(idle_.begin(), idle_.end(),
                             [](const auto& c) { return c && !c->broken(); });
  if (usable == idle_.end()) return std::nullopt;
  std::unique_ptr<PgConnection> c = std::move(*usable);
  idle_.erase(usable);
  ++leased_;
  return Lease(*this, std::move(c));
}

Result<PgPool::Lease> PgPool::lease(std::unique_ptr<PgConnection> c) {
  if (!c || c->broken()) {
    auto fresh = PgConnection::connect(dsn_, password_, timeout_secs_);
    if (!fresh.ok()) {
      release(nullptr);  // the slot goes back empty and connects at a later acquire
      return fresh.error();
    }
    c = std::move(*fresh);
  }
  return Lease(*this, std::move(c));
}

void PgPool::release(std::unique_ptr<PgConnection> c) {
  std::lock_guard lock(mutex_);
  --leased_;
  if (open_) idle_.push_back(std::move(c));
  available_.notify_all();  // close() waits on the same condition as acquire()
}

void PgPool::close() {
  std::unique_lock lock(mutex_);
  if (!open_) return;
  open_ = false;
  available_.wait(lock, [&] { return leased_ == 0; });
  idle_.clear();
  available_.notify_all();
}

}  // namespace envmon::store::postgres
