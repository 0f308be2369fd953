#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sqlite/sqlite_db.h"

namespace envmon::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The ordered schema history. Append only: an applied migration is never edited.
const std::vector<Migration>& migrations();

// Applies every migration newer than the recorded version, each in its own transaction, and
// records it in schema_migrations. Returns how many were applied.
Result<int> migrate(Connection& db);

}  // namespace envmon::store::sqlite
