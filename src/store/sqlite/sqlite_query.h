#pragma once
// The one way every SqliteStore query runs: lease a reader, prepare, bind, map each row, reset.

#include <utility>

#include "store/sqlite/sqlite_store.h"

namespace envmon::store::sqlite {

// Prepares `sql` on `c`, lets `bind` set its parameters, hands every result row to `row` (which
// returns an error for a row it cannot map) and resets the statement whatever happens.
template <typename Bind, typename Row>
Status run_query(Connection& c, const char* sql, Bind&& bind, Row&& row) {
  auto st = c.prepare(sql);
  if (!st.ok()) return st.error();
  bind(*st);
  while (true) {
    auto more = st->step();  // step() resets on error itself
    if (!more.ok()) return more.error();
    if (!*more) break;
    if (Status s = row(std::as_const(*st)); !s.ok()) {
      st->reset();
      return s;
    }
  }
  st->reset();
  return ok_status();
}

// The same on a connection leased from the reader pool for the duration of the query.
template <typename Bind, typename Row>
Status run_query(ReaderPool& pool, const char* sql, Bind&& bind, Row&& row) {
  auto c = pool.acquire();
  if (!c.ok()) return c.error();
  return run_query(**c, sql, std::forward<Bind>(bind), std::forward<Row>(row));
}

inline void no_parameters(Statement&) {}

}  // namespace envmon::store::sqlite
