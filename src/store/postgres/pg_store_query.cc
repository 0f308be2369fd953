// Read side of PgStore: every query is served by a primary key or index (partition pruning on
// observed_at for raw rows) and runs on a pooled connection.
#include <algorithm>
#include <cstdint>
#include <string>

#include "store/postgres/pg_sql.h"
#include "store/postgres/pg_store.h"

namespace envmon::store::postgres {
namespace {

#define OBS_COLUMNS \
  "metric, source, " ENVMON_PG_MS("observed_at") ", value, raw, flags, " ENVMON_PG_MS("ingested_at")
#define SERIES_WHERE(col) \
  "station_id = $1 AND metric = $2 AND " col " >= " ENVMON_PG_TS("$3") " AND " col \
  " < " ENVMON_PG_TS("$4")
#define HOURLY_STATS "sum(mean * count) / sum(count), min(min), max(max), sum(count)"
#define HOURLY_VALID "bucket_secs = 3600 AND count > 0 AND mean IS NOT NULL"
// Raw and latest rows are keyed by series id (pg_series.h); no column name is in both tables.
#define NAMED_MEASUREMENTS "measurements JOIN series ON id = series_id"

constexpr const char* kStationsSql =
    "SELECT id, name, lat, lon, timezone, region FROM stations ORDER BY id";
constexpr const char* kLatestSql =
    "SELECT " OBS_COLUMNS " FROM latest JOIN series ON id = series_id WHERE station_id = $1 "
    "ORDER BY metric, source";
constexpr const char* kRangeSql = "SELECT " OBS_COLUMNS " FROM " NAMED_MEASUREMENTS
                                  " WHERE " SERIES_WHERE("observed_at")
                                  " ORDER BY observed_at, source LIMIT $5";
constexpr const char* kBucketsFromAggregatesSql =
    "SELECT " ENVMON_PG_MS("bucket_start") " / $5 * $5 AS b, " HOURLY_STATS
    " FROM aggregates_hourly WHERE " SERIES_WHERE("bucket_start") " AND " HOURLY_VALID
    " GROUP BY b ORDER BY b";
// Raw rows after the horizon ($6), hourly aggregates before it: no gap across retention.
constexpr const char* kBucketsFromRowsSql =
    "SELECT " ENVMON_PG_MS("observed_at") " / $5 * $5 AS b, avg(value), min(value), max(value), "
    "count(value) FROM " NAMED_MEASUREMENTS " WHERE " SERIES_WHERE("observed_at")
    " AND observed_at >= " ENVMON_PG_TS("$6") " AND value IS NOT NULL GROUP BY b "
    "UNION ALL SELECT " ENVMON_PG_MS("bucket_start") ", " HOURLY_STATS
    " FROM aggregates_hourly WHERE " SERIES_WHERE("bucket_start")
    " AND bucket_start < " ENVMON_PG_TS("$6") " AND " HOURLY_VALID " GROUP BY bucket_start ORDER BY 1";
constexpr const char* kHorizonSql =
    "SELECT " ENVMON_PG_MS("raw_horizon") " FROM retention WHERE id = 1";
constexpr const char* kAggregatesSql =
    "SELECT source, " ENVMON_PG_MS("bucket_start") ", bucket_secs, mean, min, max, count, "
    "revision, dominant FROM aggregates_hourly WHERE " SERIES_WHERE("bucket_start")
    " ORDER BY bucket_start, source";
constexpr const char* kSourceProgressSql =
    "SELECT station_id, " ENVMON_PG_MS("max_ingested_at") " FROM source_progress WHERE source = $1";
constexpr const char* kCountsSql =
    "SELECT (SELECT count(*) FROM measurements), (SELECT count(*) FROM aggregates_hourly), "
    "(SELECT count(*) FROM dead_letters)";
constexpr const char* kUpsertAnomaly =
    "INSERT INTO anomalies (station_id, metric, at, detector, score, value, explanation) "
    "VALUES ($1, $2, " ENVMON_PG_TS("$3") ", $4, $5, $6, $7::json) "
    "ON CONFLICT (station_id, metric, at, detector) DO UPDATE SET score = excluded.score, "
    "value = excluded.value, explanation = excluded.explanation";
constexpr const char* kAnomaliesSql =
    "SELECT station_id, metric, " ENVMON_PG_MS("at") ", detector, score, value, explanation::text "
    "FROM anomalies WHERE ($1 = '' OR station_id = $1) AND at >= " ENVMON_PG_TS("$2")
    " AND at < " ENVMON_PG_TS("$3") " ORDER BY at DESC, station_id, metric, detector LIMIT $4";
constexpr const char* kUpsertClusterLabel =
    "INSERT INTO cluster_labels (station_id, model, cluster, silhouette, computed_at) "
    "VALUES ($1, $2, $3, $4, " ENVMON_PG_TS("$5") ") ON CONFLICT (station_id, model) DO UPDATE "
    "SET cluster = excluded.cluster, silhouette = excluded.silhouette, "
    "computed_at = excluded.computed_at";
constexpr const char* kClusterLabelsSql =
    "SELECT station_id, cluster, model, silhouette, " ENVMON_PG_MS("computed_at")
    " FROM cluster_labels WHERE model = (SELECT model FROM cluster_labels "
    "ORDER BY computed_at DESC, model DESC LIMIT 1) ORDER BY station_id";
// Per station with data, its newest hourly AQI by a backward primary-key scan.
constexpr const char* kTopAqiSql =
    "SELECT s.station_id, " ENVMON_PG_MS("a.bucket_start") ", a.mean, a.dominant FROM "
    "(SELECT DISTINCT station_id FROM latest JOIN series ON id = series_id) s "
    "CROSS JOIN LATERAL (SELECT bucket_start, mean, "
    "dominant FROM aggregates_hourly h WHERE h.station_id = s.station_id AND h.metric = $1 "
    "AND h.mean IS NOT NULL ORDER BY bucket_start DESC, mean DESC LIMIT 1) a "
    "ORDER BY a.mean DESC, s.station_id LIMIT $2";

Params series_params(const std::string& station, Metric metric, Timestamp from, Timestamp to) {
  Params p;
  p.add(station).add(std::string(metric_id(metric))).add_time(from).add_time(to);
  return p;
}

int64_t sql_limit(size_t limit) { return static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)); }

Result<Metric> stored_metric(const Rows& rows, int row, int col, const std::string& station) {
  const std::string id = rows.text(row, col);
  if (auto m = parse_metric(id)) return *m;
  return Error(Errc::store_schema,
               "station " + station + ": stored metric '" + id + "' is unknown to this version");
}

// Columns OBS_COLUMNS.
Status append_observations(const Rows& rows, const std::string& station,
                           std::vector<Observation>& out) {
  for (int i = 0; i < rows.size(); ++i) {
    auto m = stored_metric(rows, i, 0, station);
    if (!m.ok()) return m.error();
    Observation& o = out.emplace_back();
    o.station = station;
    o.metric = *m;
    o.source = rows.text(i, 1);
    o.observed_at = from_unix_ms(rows.int64(i, 2));
    o.value = rows.real(i, 3);
    o.raw = rows.null(i, 4) ? o.value : rows.real(i, 4);
    o.flags = static_cast<FlagSet>(rows.int64(i, 5));
    o.ingested_at = from_unix_ms(rows.int64(i, 6));
  }
  return ok_status();
}

}  // namespace

// One query on a pooled connection.
#define PG_QUERY(var, sql, params)            \
  auto lease_##var = pool_.acquire();         \
  if (!lease_##var.ok()) return lease_##var.error(); \
  auto var = (*lease_##var)->query(sql, params);     \
  if (!var.ok()) return var.error()

Result<std::vector<config::StationConfig>> PgStore::stations() {
  PG_QUERY(rows, kStationsSql, Params());
  std::vector<config::StationConfig> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({rows->text(i, 0), rows->text(i, 1), rows->real(i, 2), rows->real(i, 3),
                   rows->text(i, 4), rows->text(i, 5)});
  }
  return out;
}

Result<std::vector<Observation>> PgStore::latest(const std::string& station) {
  PG_QUERY(rows, kLatestSql, Params().add(station));
  std::vector<Observation> out;
  ENVMON_TRY(append_observations(*rows, station, out));
  return out;
}

Result<std::vector<Observation>> PgStore::range(const std::string& station, Metric metric,
                                                Timestamp from, Timestamp to, size_t limit) {
  PG_QUERY(rows, kRangeSql, series_params(station, metric, from, to).add(sql_limit(limit)));
  std::vector<Observation> out;
  ENVMON_TRY(append_observations(*rows, station, out));
  return out;
}

Result<std::vector<Bucket>> PgStore::buckets(const std::string& station, Metric metric,
                                             Timestamp from, Timestamp to, Seconds bucket) {
  if (bucket.count() <= 0) return Error(Errc::invalid_argument, "bucket width must be positive");
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  Params p = series_params(station, metric, from, to);
  p.add(static_cast<int64_t>(bucket.count()) * 1000);
  const bool from_aggregates = bucket.count() % 3600 == 0;
  if (!from_aggregates) {
    auto h = (*c)->query(kHorizonSql, Params());
    if (!h.ok()) return h.error();
    p.add(h->int64(0, 0));
  }
  auto rows = (*c)->query(from_aggregates ? kBucketsFromAggregatesSql : kBucketsFromRowsSql, p);
  if (!rows.ok()) return rows.error();
  std::vector<Bucket> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({from_unix_ms(rows->int64(i, 0)), rows->real(i, 1), rows->real(i, 2),
                   rows->real(i, 3), rows->int64(i, 4)});
  }
  return out;
}

Result<std::vector<Aggregate>> PgStore::aggregates(const std::string& station, Metric metric,
                                                   Timestamp from, Timestamp to) {
  PG_QUERY(rows, kAggregatesSql, series_params(station, metric, from, to));
  std::vector<Aggregate> out;
  for (int i = 0; i < rows->size(); ++i) {
    Aggregate& a = out.emplace_back();
    a.source = SourceId(rows->text(i, 0));
    a.station = StationId(station);
    a.metric = metric;
    a.bucket_start = from_unix_ms(rows->int64(i, 1));
    a.bucket = Seconds(rows->int64(i, 2));
    a.mean = rows->real(i, 3);
    a.min = rows->real(i, 4);
    a.max = rows->real(i, 5);
    a.count = rows->int64(i, 6);
    a.revision = static_cast<int32_t>(rows->int64(i, 7));
    a.dominant = rows->text(i, 8);
  }
  return out;
}

Result<std::map<std::string, Timestamp>> PgStore::source_progress(const std::string& source) {
  PG_QUERY(rows, kSourceProgressSql, Params().add(source));
  std::map<std::string, Timestamp> out;
  for (int i = 0; i < rows->size(); ++i) out[rows->text(i, 0)] = from_unix_ms(rows->int64(i, 1));
  return out;
}

Result<StoreCounts> PgStore::counts() {
  PG_QUERY(rows, kCountsSql, Params());
  return StoreCounts{rows->int64(0, 0), rows->int64(0, 1), rows->int64(0, 2)};
}

Status PgStore::write_anomalies(const std::vector<AnomalyRecord>& anomalies) {
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  return in_transaction(**c, [&](PgConnection& tx) -> Status {
    for (const AnomalyRecord& a : anomalies) {
      Params p;
      p.add(a.station).add(std::string(metric_id(a.metric))).add_time(a.at).add(a.detector);
      p.add_real(a.score).add_real(a.value);
      p.add(a.explanation_json.empty() ? "{}" : a.explanation_json);
      if (Status s = tx.command(kUpsertAnomaly, p); !s.ok()) {
        return s.error().with_context("anomaly " + a.station + "/" +
                                      std::string(metric_id(a.metric)) + " by " + a.detector);
      }
    }
    return ok_status();
  });
}

Result<std::vector<AnomalyRecord>> PgStore::anomalies(const std::string& station, Timestamp from,
                                                      Timestamp to, size_t limit) {
  PG_QUERY(rows, kAnomaliesSql, Params().add(station).add_time(from).add_time(to).add(sql_limit(limit)));
  std::vector<AnomalyRecord> out;
  for (int i = 0; i < rows->size(); ++i) {
    AnomalyRecord a;
    a.station = rows->text(i, 0);
    auto m = stored_metric(*rows, i, 1, a.station);
    if (!m.ok()) return m.error();
    a.metric = *m;
    a.at = from_unix_ms(rows->int64(i, 2));
    a.detector = rows->text(i, 3);
    a.score = rows->real(i, 4);
    a.value = rows->real(i, 5);
    a.explanation_json = rows->text(i, 6);
    out.push_back(std::move(a));
  }
  return out;
}

Status PgStore::put_cluster_labels(const std::vector<ClusterLabel>& labels) {
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  return in_transaction(**c, [&](PgConnection& tx) -> Status {
    for (const ClusterLabel& l : labels) {
      Params p;
      p.add(l.station).add(l.model).add(static_cast<int64_t>(l.cluster)).add_real(l.silhouette);
      p.add_time(l.computed_at);
      if (Status s = tx.command(kUpsertClusterLabel, p); !s.ok()) {
        return s.error().with_context("cluster label " + l.station + " of " + l.model);
      }
    }
    return ok_status();
  });
}

Result<std::vector<ClusterLabel>> PgStore::cluster_labels() {
  PG_QUERY(rows, kClusterLabelsSql, Params());
  std::vector<ClusterLabel> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({rows->text(i, 0), static_cast<int32_t>(rows->int64(i, 1)), rows->text(i, 2),
                   rows->real(i, 3), from_unix_ms(rows->int64(i, 4))});
  }
  return out;
}

Result<std::vector<StationAqi>> PgStore::top_stations_by_aqi(Metric metric, size_t limit) {
  if (metric != Metric::aqi_us && metric != Metric::aqi_in) {
    return Error(Errc::invalid_argument, "AQI ranking needs aqi_us or aqi_in, not " +
                                             std::string(metric_id(metric)));
  }
  PG_QUERY(rows, kTopAqiSql, Params().add(std::string(metric_id(metric))).add(sql_limit(limit)));
  std::vector<StationAqi> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({rows->text(i, 0), metric, from_unix_ms(rows->int64(i, 1)), rows->real(i, 2),
                   rows->text(i, 3)});
  }
  return out;
}

}  // namespace envmon::store::postgres
