#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/postgres/pg_conn.h"

namespace envmon::store::postgres {

// One step of the append-only schema history. `native` runs without TimescaleDB, `timescale`
// with it (empty: the same SQL as native).
struct PgMigration {
  int version;
  std::string_view name;
  std::string_view native;
  std::string_view timescale;
};

const std::vector<PgMigration>& pg_migrations();

// Applies pending migrations, each in its own transaction recorded in schema_migrations, under
// an advisory lock so concurrent envmon processes migrate once. Returns how many it applied.
Result<int> pg_migrate(PgConnection& c, bool timescale);

}  // namespace envmon::store::postgres
