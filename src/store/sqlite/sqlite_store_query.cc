// Read side of SqliteStore: every query runs on a pooled reader connection and is served by a
// primary key (measurements, aggregates, latest, source_progress are all WITHOUT ROWID tables
// clustered on the columns the API filters by).
#include <cmath>

#include "store/sqlite/sqlite_store.h"

namespace envmon::store::sqlite {
namespace {

Observation observation_from(Statement& st, const std::string& station, int first_col) {
  // Columns from first_col: metric, source, observed_at, value, raw, flags, ingested_at.
  Observation o;
  o.station = station;
  o.metric = parse_metric(st.col_text(first_col)).value_or(Metric::temperature);
  o.source = st.col_text(first_col + 1);
  o.observed_at = from_unix_ms(st.col_int(first_col + 2));
  o.value = st.col_real(first_col + 3);
  // `raw` is only stored when it differs from the value; otherwise the value is what arrived.
  o.raw = st.col_null(first_col + 4) ? o.value : st.col_real(first_col + 4);
  o.flags = static_cast<FlagSet>(st.col_int(first_col + 5));
  o.ingested_at = from_unix_ms(st.col_int(first_col + 6));
  return o;
}

Result<std::vector<Bucket>> read_buckets(Statement& st) {
  std::vector<Bucket> out;
  while (true) {
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Bucket b;
    b.start = from_unix_ms(st.col_int(0));
    b.mean = st.col_real(1);
    b.min = st.col_real(2);
    b.max = st.col_real(3);
    b.count = st.col_int(4);
    out.push_back(b);
  }
  st.reset();
  return out;
}

}  // namespace

Result<std::vector<config::StationConfig>> SqliteStore::stations() {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st = (*c)->prepare("SELECT id, name, lat, lon, timezone, region FROM stations ORDER BY id");
  if (!st.ok()) return st.error();
  std::vector<config::StationConfig> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({st->col_text(0), st->col_text(1), st->col_real(2), st->col_real(3),
                   st->col_text(4), st->col_text(5)});
  }
  st->reset();
  return out;
}

Result<std::vector<Observation>> SqliteStore::latest(const std::string& station) {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st = (*c)->prepare(
      "SELECT metric, source, observed_at, value, raw, flags, ingested_at FROM latest "
      "WHERE station_id = ?1 ORDER BY metric, source");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(station));
  std::vector<Observation> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(observation_from(*st, station, 0));
  }
  st->reset();
  return out;
}

Result<std::vector<Observation>> SqliteStore::range(const std::string& station, Metric metric,
                                                    Timestamp from, Timestamp to, size_t limit) {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st = (*c)->prepare(
      "SELECT metric, source, observed_at, value, raw, flags, ingested_at FROM measurements "
      "WHERE station_id = ?1 AND metric = ?2 AND observed_at >= ?3 AND observed_at < ?4 "
      "ORDER BY observed_at, source LIMIT ?5");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(station));
  st->bind(2, metric_id(metric));
  st->bind(3, to_unix_ms(from));
  st->bind(4, to_unix_ms(to));
  st->bind(5, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<Observation> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(observation_from(*st, station, 0));
  }
  st->reset();
  return out;
}

Result<std::vector<Bucket>> SqliteStore::buckets(const std::string& station, Metric metric,
                                                 Timestamp from, Timestamp to, Seconds bucket) {
  if (bucket.count() <= 0) return Error(Errc::invalid_argument, "bucket width must be positive");
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  if (bucket.count() % 3600 == 0)
    return buckets_from_aggregates(**c, station, metric, from, to, bucket);
  return buckets_from_rows(**c, station, metric, from, to, bucket);
}

// Whole-hour buckets combine the stored hourly aggregates: the mean is weighted by count, so a
// day bucket equals the mean of all the day's valid readings. Buckets align to the epoch (UTC).
Result<std::vector<Bucket>> SqliteStore::buckets_from_aggregates(Connection& c,
                                                                 const std::string& station,
                                                                 Metric metric, Timestamp from,
                                                                 Timestamp to, Seconds bucket) {
  auto st = c.prepare(
      "SELECT (bucket_start / ?5) * ?5 AS b, SUM(mean * count) / SUM(count), MIN(min), MAX(max), "
      "SUM(count) FROM aggregates_hourly WHERE station_id = ?1 AND metric = ?2 AND bucket_start >= "
      "?3 "
      "AND bucket_start < ?4 AND bucket_secs = 3600 AND count > 0 AND mean IS NOT NULL "
      "GROUP BY b ORDER BY b");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(station));
  st->bind(2, metric_id(metric));
  st->bind(3, to_unix_ms(from));
  st->bind(4, to_unix_ms(to));
  st->bind(5, static_cast<int64_t>(bucket.count()) * 1000);
  return read_buckets(*st);
}

// Sub-hour buckets are computed from raw rows; masked (NULL) values are not counted.
Result<std::vector<Bucket>> SqliteStore::buckets_from_rows(Connection& c,
                                                           const std::string& station,
                                                           Metric metric, Timestamp from,
                                                           Timestamp to, Seconds bucket) {
  auto st = c.prepare(
      "SELECT (observed_at / ?5) * ?5 AS b, AVG(value), MIN(value), MAX(value), COUNT(value) "
      "FROM measurements WHERE station_id = ?1 AND metric = ?2 AND observed_at >= ?3 "
      "AND observed_at < ?4 AND value IS NOT NULL GROUP BY b ORDER BY b");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(station));
  st->bind(2, metric_id(metric));
  st->bind(3, to_unix_ms(from));
  st->bind(4, to_unix_ms(to));
  st->bind(5, static_cast<int64_t>(bucket.count()) * 1000);
  return read_buckets(*st);
}

Result<std::vector<Aggregate>> SqliteStore::aggregates(const std::string& station, Metric metric,
                                                       Timestamp from, Timestamp to) {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st = (*c)->prepare(
      "SELECT source, bucket_start, bucket_secs, mean, min, max, count, revision, dominant "
      "FROM aggregates_hourly WHERE station_id = ?1 AND metric = ?2 AND bucket_start >= ?3 "
      "AND bucket_start < ?4 ORDER BY bucket_start, source");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(station));
  st->bind(2, metric_id(metric));
  st->bind(3, to_unix_ms(from));
  st->bind(4, to_unix_ms(to));
  std::vector<Aggregate> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    Aggregate a;
    a.source = SourceId(st->col_text(0));
    a.station = StationId(station);
    a.metric = metric;
    a.bucket_start = from_unix_ms(st->col_int(1));
    a.bucket = Seconds(st->col_int(2));
    a.mean = st->col_real(3);
    a.min = st->col_real(4);
    a.max = st->col_real(5);
    a.count = st->col_int(6);
    a.revision = static_cast<int32_t>(st->col_int(7));
    a.dominant = st->col_text(8);
    out.push_back(std::move(a));
  }
  st->reset();
  return out;
}

Result<std::map<std::string, Timestamp>> SqliteStore::source_progress(const std::string& source) {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st =
      (*c)->prepare("SELECT station_id, max_ingested_at FROM source_progress WHERE source = ?1");
  if (!st.ok()) return st.error();
  st->bind(1, std::string_view(source));
  std::map<std::string, Timestamp> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out[st->col_text(0)] = from_unix_ms(st->col_int(1));
  }
  st->reset();
  return out;
}

Result<StoreCounts> SqliteStore::counts() {
  auto c = readers_.acquire();
  if (!c.ok()) return c.error();
  auto st = (*c)->prepare(
      "SELECT (SELECT COUNT(*) FROM measurements), (SELECT COUNT(*) FROM aggregates_hourly), "
      "(SELECT COUNT(*) FROM dead_letters)");
  if (!st.ok()) return st.error();
  auto row = st->step();
  if (!row.ok()) return row.error();
  StoreCounts out{st->col_int(0), st->col_int(1), st->col_int(2)};
  st->reset();
  return out;
}

}  // namespace envmon::store::sqlite
