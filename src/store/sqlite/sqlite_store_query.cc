// Read side of SqliteStore: every query runs on a pooled reader connection and is served by a
// primary key (measurements, aggregates, latest, source_progress are all WITHOUT ROWID tables
// clustered on the columns the API filters by).
#include <algorithm>
#include <cstdint>
#include <string>

#include "store/sqlite/sqlite_query.h"
#include "store/sqlite/sqlite_store.h"

namespace envmon::store::sqlite {
namespace {

constexpr const char* kStationsSql =
    "SELECT id, name, lat, lon, timezone, region FROM stations ORDER BY id";
constexpr const char* kLatestSql =
    "SELECT metric, source, observed_at, value, raw, flags, ingested_at FROM latest "
    "WHERE station_id = ?1 ORDER BY metric, source";
constexpr const char* kRangeSql =
    "SELECT metric, source, observed_at, value, raw, flags, ingested_at FROM measurements "
    "WHERE station_id = ?1 AND metric = ?2 AND observed_at >= ?3 AND observed_at < ?4 "
    "ORDER BY observed_at, source LIMIT ?5";
// Whole-hour buckets from the hourly aggregates: the mean is weighted by count.
constexpr const char* kBucketsFromAggregatesSql =
    "SELECT (bucket_start / ?5) * ?5 AS b, SUM(mean * count) / SUM(count), MIN(min), MAX(max), "
    "SUM(count) FROM aggregates_hourly WHERE station_id = ?1 AND metric = ?2 "
    "AND bucket_start >= ?3 AND bucket_start < ?4 AND bucket_secs = 3600 AND count > 0 "
    "AND mean IS NOT NULL GROUP BY b ORDER BY b";
// Sub-hour buckets from raw rows; masked (NULL) values are not counted. Before the raw horizon
// ?6 (retention deleted those rows) the hourly aggregates answer, so there is no gap.
constexpr const char* kBucketsFromRowsSql =
    "SELECT (observed_at / ?5) * ?5 AS b, AVG(value), MIN(value), MAX(value), COUNT(value) "
    "FROM measurements WHERE station_id = ?1 AND metric = ?2 AND observed_at >= max(?3, ?6) "
    "AND observed_at < ?4 AND value IS NOT NULL GROUP BY b "
    "UNION ALL SELECT bucket_start, SUM(mean * count) / SUM(count), MIN(min), MAX(max), "
    "SUM(count) FROM aggregates_hourly WHERE ?6 > ?3 AND station_id = ?1 AND metric = ?2 "
    "AND bucket_start >= ?3 AND bucket_start < min(?4, ?6) AND bucket_secs = 3600 "
    "AND count > 0 AND mean IS NOT NULL GROUP BY bucket_start ORDER BY b";
constexpr const char* kAggregatesSql =
    "SELECT source, bucket_start, bucket_secs, mean, min, max, count, revision, dominant "
    "FROM aggregates_hourly WHERE station_id = ?1 AND metric = ?2 AND bucket_start >= ?3 "
    "AND bucket_start < ?4 ORDER BY bucket_start, source";
constexpr const char* kSourceProgressSql =
    "SELECT station_id, max_ingested_at FROM source_progress WHERE source = ?1";
constexpr const char* kCountsSql =
    "SELECT (SELECT COUNT(*) FROM measurements), (SELECT COUNT(*) FROM aggregates_hourly), "
    "(SELECT COUNT(*) FROM dead_letters)";

// ?1..?4 of every per-series time-range query: station, metric, [from, to).
void bind_series_range(Statement& st, const std::string& station, Metric metric, Timestamp from,
                       Timestamp to) {
  st.bind(1, std::string_view(station));
  st.bind(2, metric_id(metric));
  st.bind(3, to_unix_ms(from));
  st.bind(4, to_unix_ms(to));
}

// Columns: metric, source, observed_at, value, raw, flags, ingested_at.
Status append_observation(const Statement& st, const std::string& station,
                          std::vector<Observation>& out) {
  const std::string metric = st.col_text(0);
  const auto m = parse_metric(metric);
  // Only a database written by another envmon version holds an unknown metric: say so rather
  // than report its rows under a wrong metric.
  if (!m) {
    return Error(Errc::store_schema, "station " + station + ": stored metric '" + metric +
                                         "' is unknown to this version");
  }
  Observation& o = out.emplace_back();
  o.station = station;
  o.metric = *m;
  o.source = st.col_text(1);
  o.observed_at = from_unix_ms(st.col_int(2));
  o.value = st.col_real(3);
  // `raw` is only stored when it differs from the value; otherwise the value is what arrived.
  o.raw = st.col_null(4) ? o.value : st.col_real(4);
  o.flags = static_cast<FlagSet>(st.col_int(5));
  o.ingested_at = from_unix_ms(st.col_int(6));
  return ok_status();
}

}  // namespace

Result<std::vector<config::StationConfig>> SqliteStore::stations() {
  std::vector<config::StationConfig> out;
  ENVMON_TRY(run_query(readers_, kStationsSql, no_parameters, [&](const Statement& st) {
    out.push_back({st.col_text(0), st.col_text(1), st.col_real(2), st.col_real(3), st.col_text(4),
                   st.col_text(5)});
    return ok_status();
  }));
  return out;
}

Result<std::vector<Observation>> SqliteStore::latest(const std::string& station) {
  std::vector<Observation> out;
  ENVMON_TRY(run_query(
      readers_, kLatestSql, [&](Statement& st) { st.bind(1, std::string_view(station)); },
      [&](const Statement& st) { return append_observation(st, station, out); }));
  return out;
}

Result<std::vector<Observation>> SqliteStore::range(const std::string& station, Metric metric,
                                                    Timestamp from, Timestamp to, size_t limit) {
  std::vector<Observation> out;
  const auto bind = [&](Statement& st) {
    bind_series_range(st, station, metric, from, to);
    st.bind(5, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  };
  ENVMON_TRY(run_query(readers_, kRangeSql, bind,
                       [&](const Statement& st) { return append_observation(st, station, out); }));
  return out;
}

// Whole-hour buckets combine the stored hourly aggregates, so a day bucket equals the mean of all
// the day's valid readings; narrower buckets are computed from raw rows. Buckets align to the
// epoch (UTC).
Result<std::vector<Bucket>> SqliteStore::buckets(const std::string& station, Metric metric,
                                                 Timestamp from, Timestamp to, Seconds bucket) {
  if (bucket.count() <= 0) return Error(Errc::invalid_argument, "bucket width must be positive");
  const char* sql = bucket.count() % 3600 == 0 ? kBucketsFromAggregatesSql : kBucketsFromRowsSql;
  std::vector<Bucket> out;
  const auto bind = [&](Statement& st) {
    bind_series_range(st, station, metric, from, to);
    st.bind(5, static_cast<int64_t>(bucket.count()) * 1000);
    if (sql == kBucketsFromRowsSql) st.bind(6, raw_horizon_ms_.load());
  };
  ENVMON_TRY(run_query(readers_, sql, bind, [&](const Statement& st) {
    out.push_back({from_unix_ms(st.col_int(0)), st.col_real(1), st.col_real(2), st.col_real(3),
                   st.col_int(4)});
    return ok_status();
  }));
  return out;
}

Result<std::vector<Aggregate>> SqliteStore::aggregates(const std::string& station, Metric metric,
                                                       Timestamp from, Timestamp to) {
  std::vector<Aggregate> out;
  const auto bind = [&](Statement& st) { bind_series_range(st, station, metric, from, to); };
  ENVMON_TRY(run_query(readers_, kAggregatesSql, bind, [&](const Statement& st) {
    Aggregate& a = out.emplace_back();
    a.source = SourceId(st.col_text(0));
    a.station = StationId(station);
    a.metric = metric;
    a.bucket_start = from_unix_ms(st.col_int(1));
    a.bucket = Seconds(st.col_int(2));
    a.mean = st.col_real(3);
    a.min = st.col_real(4);
    a.max = st.col_real(5);
    a.count = st.col_int(6);
    a.revision = static_cast<int32_t>(st.col_int(7));
    a.dominant = st.col_text(8);
    return ok_status();
  }));
  return out;
}

Result<std::map<std::string, Timestamp>> SqliteStore::source_progress(const std::string& source) {
  std::map<std::string, Timestamp> out;
  ENVMON_TRY(run_query(
      readers_, kSourceProgressSql, [&](Statement& st) { st.bind(1, std::string_view(source)); },
      [&](const Statement& st) {
        out[st.col_text(0)] = from_unix_ms(st.col_int(1));
        return ok_status();
      }));
  return out;
}

Result<StoreCounts> SqliteStore::counts() {
  StoreCounts out{};
  ENVMON_TRY(run_query(readers_, kCountsSql, no_parameters, [&](const Statement& st) {
    out = {st.col_int(0), st.col_int(1), st.col_int(2)};
    return ok_status();
  }));
  return out;
}

}  // namespace envmon::store::sqlite
