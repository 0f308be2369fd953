// SqliteStore's analytics results (anomalies, cluster labels), the AQI ranking and retention.
#include <algorithm>
#include <cstdint>
#include <string>

#include "store/sqlite/sqlite_query.h"
#include "store/sqlite/sqlite_store.h"

namespace envmon::store::sqlite {
namespace {

constexpr const char* kUpsertAnomaly =
    "INSERT INTO anomalies (station_id, metric, at, detector, score, value, explanation) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (station_id, metric, at, detector) DO UPDATE "
    "SET score = excluded.score, value = excluded.value, explanation = excluded.explanation";
// ?1 = '' means every station (served by anomalies_at, else anomalies_station_at).
constexpr const char* kAnomaliesSql =
    "SELECT station_id, metric, at, detector, score, value, explanation FROM anomalies "
    "WHERE (?1 = '' OR station_id = ?1) AND at >= ?2 AND at < ?3 "
    "ORDER BY at DESC, station_id, metric, detector LIMIT ?4";
constexpr const char* kUpsertClusterLabel =
    "INSERT INTO cluster_labels (station_id, model, cluster, silhouette, computed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (station_id, model) DO UPDATE SET "
    "cluster = excluded.cluster, silhouette = excluded.silhouette, "
    "computed_at = excluded.computed_at";
constexpr const char* kClusterLabelsSql =
    "SELECT station_id, cluster, model, silhouette, computed_at FROM cluster_labels "
    "WHERE model = (SELECT model FROM cluster_labels ORDER BY computed_at DESC, model DESC LIMIT 1) "
    "ORDER BY station_id";
// Per station with data (the small `latest` table), its newest hourly AQI aggregate, found by a
// primary-key prefix seek; several sources in that hour: the highest.
constexpr const char* kTopAqiSql =
    "SELECT a.station_id, a.bucket_start, MAX(a.mean), a.dominant FROM "
    "(SELECT DISTINCT station_id FROM latest) s JOIN aggregates_hourly a "
    "ON a.station_id = s.station_id AND a.metric = ?1 AND a.bucket_start = "
    "(SELECT MAX(bucket_start) FROM aggregates_hourly x WHERE x.station_id = s.station_id "
    "AND x.metric = ?1 AND x.mean IS NOT NULL) "
    "WHERE a.mean IS NOT NULL GROUP BY a.station_id ORDER BY MAX(a.mean) DESC, a.station_id "
    "LIMIT ?2";
constexpr const char* kDeleteRawSql = "DELETE FROM measurements WHERE observed_at < ?1";
constexpr const char* kSetHorizonSql =
    "INSERT INTO retention (id, raw_horizon) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET "
    "raw_horizon = max(raw_horizon, excluded.raw_horizon)";
constexpr const char* kHorizonSql = "SELECT raw_horizon FROM retention WHERE id = 1";

constexpr int64_t kHourMs = 3600 * 1000;

int64_t sql_limit(size_t limit) { return static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)); }

Result<Metric> stored_metric(const Statement& st, int col, const std::string& station) {
  const std::string id = st.col_text(col);
  if (auto m = parse_metric(id)) return *m;
  return Error(Errc::store_schema,
               "station " + station + ": stored metric '" + id + "' is unknown to this version");
}

}  // namespace

template <typename Body>
Status SqliteStore::in_write_transaction(Body&& body) {
  std::lock_guard lock(write_mutex_);
  if (!writer_) return Error(Errc::store_io, "sqlite store is not open", Retryable::no);
  Transaction tx(*writer_);
  ENVMON_TRY(tx.begin());
  ENVMON_TRY(body(*writer_));
  return tx.commit();
}

Status SqliteStore::write_anomalies(const std::vector<AnomalyRecord>& anomalies) {
  return in_write_transaction([&](Connection& c) -> Status {
    auto st = c.prepare(kUpsertAnomaly);
    if (!st.ok()) return st.error();
    for (const AnomalyRecord& a : anomalies) {
      st->bind(1, std::string_view(a.station));
      st->bind(2, metric_id(a.metric));
      st->bind(3, to_unix_ms(a.at));
      st->bind(4, std::string_view(a.detector));
      st->bind_real(5, a.score);
      st->bind_real(6, a.value);
      // bind() does not copy: the text must outlive the statement step, so no temporary here.
      const std::string_view explanation = a.explanation_json;
      st->bind(7, explanation.empty() ? std::string_view("{}") : explanation);
      if (Status s = st->run(); !s.ok()) {
        return s.error().with_context("anomaly " + a.station + "/" +
                                      std::string(metric_id(a.metric)) + " by " + a.detector);
      }
    }
    return ok_status();
  });
}

Result<std::vector<AnomalyRecord>> SqliteStore::anomalies(const std::string& station,
                                                          Timestamp from, Timestamp to,
                                                          size_t limit) {
  std::vector<AnomalyRecord> out;
  const auto bind = [&](Statement& st) {
    st.bind(1, std::string_view(station));
    st.bind(2, to_unix_ms(from));
    st.bind(3, to_unix_ms(to));
    st.bind(4, sql_limit(limit));
  };
  ENVMON_TRY(run_query(readers_, kAnomaliesSql, bind, [&](const Statement& st) -> Status {
    AnomalyRecord a;
    a.station = st.col_text(0);
    auto m = stored_metric(st, 1, a.station);
    if (!m.ok()) return m.error();
    a.metric = *m;
    a.at = from_unix_ms(st.col_int(2));
    a.detector = st.col_text(3);
    a.score = st.col_real(4);
    a.value = st.col_real(5);
    a.explanation_json = st.col_text(6);
    out.push_back(std::move(a));
    return ok_status();
  }));
  return out;
}

Status SqliteStore::put_cluster_labels(const std::vector<ClusterLabel>& labels) {
  return in_write_transaction([&](Connection& c) -> Status {
    auto st = c.prepare(kUpsertClusterLabel);
    if (!st.ok()) return st.error();
    for (const ClusterLabel& l : labels) {
      st->bind(1, std::string_view(l.station));
      st->bind(2, std::string_view(l.model));
      st->bind(3, static_cast<int64_t>(l.cluster));
      st->bind_real(4, l.silhouette);
      st->bind(5, to_unix_ms(l.computed_at));
      if (Status s = st->run(); !s.ok()) {
        return s.error().with_context("cluster label " + l.station + " of " + l.model);
      }
    }
    return ok_status();
  });
}

Result<std::vector<ClusterLabel>> SqliteStore::cluster_labels() {
  std::vector<ClusterLabel> out;
  ENVMON_TRY(run_query(readers_, kClusterLabelsSql, no_parameters, [&](const Statement& st) {
    out.push_back({st.col_text(0), static_cast<int32_t>(st.col_int(1)), st.col_text(2),
                   st.col_real(3), from_unix_ms(st.col_int(4))});
    return ok_status();
  }));
  return out;
}

Result<std::vector<StationAqi>> SqliteStore::top_stations_by_aqi(Metric metric, size_t limit) {
  if (metric != Metric::aqi_us && metric != Metric::aqi_in) {
    return Error(Errc::invalid_argument, "AQI ranking needs aqi_us or aqi_in, not " +
                                             std::string(metric_id(metric)));
  }
  std::vector<StationAqi> out;
  const auto bind = [&](Statement& st) {
    st.bind(1, metric_id(metric));
    st.bind(2, sql_limit(limit));
  };
  ENVMON_TRY(run_query(readers_, kTopAqiSql, bind, [&](const Statement& st) {
    out.push_back({st.col_text(0), metric, from_unix_ms(st.col_int(1)), st.col_real(2),
                   st.col_text(3)});
    return ok_status();
  }));
  return out;
}

// Deletes in one transaction with the horizon, so a reader never sees rows gone without the
// horizon that tells buckets() to use aggregates there. The delete scans measurements (its key
// starts with the station); fine for an embedded store run once a day.
Result<RetentionReport> SqliteStore::apply_retention(Timestamp raw_before) {
  const int64_t horizon = to_unix_ms(raw_before) / kHourMs * kHourMs;
  RetentionReport report;
  report.raw_horizon = from_unix_ms(std::max(horizon, raw_horizon_ms_.load()));
  const Status done = in_write_transaction([&](Connection& c) -> Status {
    auto del = c.prepare(kDeleteRawSql);
    if (!del.ok()) return del.error();
    del->bind(1, horizon);
    ENVMON_TRY(del->run());
    report.raw_rows_deleted = sqlite3_changes64(c.handle());
    auto set = c.prepare(kSetHorizonSql);
    if (!set.ok()) return set.error();
    set->bind(1, horizon);
    return set->run();
  });
  if (!done.ok()) return done.error();
  raw_horizon_ms_.store(to_unix_ms(report.raw_horizon));
  return report;
}

Status SqliteStore::load_raw_horizon() {
  return run_query(*writer_, kHorizonSql, no_parameters, [&](const Statement& st) {
    raw_horizon_ms_.store(st.col_int(0));
    return ok_status();
  });
}

}  // namespace envmon::store::sqlite
