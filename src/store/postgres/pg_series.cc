#include "store/postgres/pg_series.h"

#include <unordered_set>

#include "store/postgres/pg_copy.h"
#include "store/postgres/pg_sql.h"

namespace envmon::store::postgres {
namespace {

// New series in key order (their ids then follow the names' order); a concurrent writer that
// registered one first wins and both read the same id.
constexpr const char* kRegisterSeries =
    "INSERT INTO series (station_id, metric, source) SELECT DISTINCT station_id, metric, source "
    "FROM stage_series ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING";
// `latest` holds each series' newest stored row (it is written in the same transaction).
constexpr const char* kReadSeries =
    "SELECT s.id, s.station_id, s.metric, s.source, " ENVMON_PG_MS("l.observed_at")
    " FROM stage_series t JOIN series s USING (station_id, metric, source) "
    "LEFT JOIN latest l ON l.series_id = s.id";

std::string station_source(const Reading& r) {
  std::string key(r.station.id.get());
  key += '\0';
  key += r.source.get();
  return key;
}

}  // namespace

SeriesRegistry::Slots& SeriesRegistry::slots_of(const Reading& r) {
  return by_station_source_[station_source(r)];
}

Result<std::vector<SeriesRow>> SeriesRegistry::resolve(PgConnection& c,
                                                       const std::vector<RowRef>& rows) {
  std::vector<RowRef> missing;
  {
    std::lock_guard lock(mutex_);
    std::unordered_set<const SeriesSlot*> seen;
    const Reading* last = nullptr;
    Slots* slots = nullptr;
    for (const RowRef& row : rows) {
      if (row.reading != last) slots = &slots_of(*(last = row.reading));
      const SeriesSlot& slot = (*slots)[metric_index(row.measurement->metric)];
      if (slot.id == 0 && seen.insert(&slot).second) missing.push_back(row);
    }
  }
  if (!missing.empty()) ENVMON_TRY(register_missing(c, missing));
  std::vector<SeriesRow> out;
  out.reserve(rows.size());
  std::lock_guard lock(mutex_);
  const Reading* last = nullptr;
  Slots* slots = nullptr;
  for (const RowRef& row : rows) {
    if (row.reading != last) slots = &slots_of(*(last = row.reading));
    SeriesSlot& slot = (*slots)[metric_index(row.measurement->metric)];
    const int64_t at = to_unix_ms(row.reading->observed_at);
    out.push_back({slot.id, at, at <= slot.stored_max_ms, row, &slot});
  }
  return out;
}

Status SeriesRegistry::register_missing(PgConnection& c, const std::vector<RowRef>& missing) {
  CopyEncoder e;
  for (const RowRef& row : missing) {
    e.begin_row(3);
    e.text(row.reading->station.id.get());
    e.text(metric_id(row.measurement->metric));
    e.text(row.reading->source.get());
  }
  const std::string data = e.finish();
  Result<Rows> rows = Error(Errc::store_io, "series not read");
  Status registered = in_transaction(c, [&](PgConnection& tx) -> Status {
    ENVMON_TRY(tx.copy_in("COPY stage_series FROM STDIN (FORMAT binary)", data));
    ENVMON_TRY(tx.exec(kRegisterSeries));
    rows = tx.query(kReadSeries, Params());
    if (!rows.ok()) return rows.error();
    return ok_status();
  });
  if (!registered.ok()) return registered.error().with_context("registering series");
  std::lock_guard lock(mutex_);
  for (int i = 0; i < rows->size(); ++i) {
    std::string key = rows->text(i, 1) + '\0' + rows->text(i, 3);
    const std::optional<Metric> metric = parse_metric(rows->text(i, 2));
    if (!metric) continue;  // registered by a newer version; never one of this batch
    SeriesSlot& slot = by_station_source_[key][metric_index(*metric)];
    slot.id = static_cast<int32_t>(rows->int64(i, 0));
    if (!rows->null(i, 4)) slot.stored_max_ms = std::max(slot.stored_max_ms, rows->int64(i, 4));
  }
  for (const RowRef& row : missing) {
    if (slots_of(*row.reading)[metric_index(row.measurement->metric)].id == 0) {
      return Error(Errc::store_io, "series " + std::string(row.reading->station.id.get()) + "/" +
                                       std::string(metric_id(row.measurement->metric)) +
                                       " was not registered");
    }
  }
  return ok_status();
}

void SeriesRegistry::committed(const std::vector<SeriesRow>& rows) {
  std::lock_guard lock(mutex_);
  for (const SeriesRow& row : rows)
    row.slot->stored_max_ms = std::max(row.slot->stored_max_ms, row.at_ms);
}

}  // namespace envmon::store::postgres
