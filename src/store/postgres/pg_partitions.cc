// Time partitions of `measurements` (native layout) and the retention and downsampling job.
#include <algorithm>
#include <string>

#include "core/clock.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/pg_store.h"

namespace envmon::store::postgres {
namespace {

constexpr int64_t kDayMs = 86400 * 1000;
constexpr int64_t kHourMs = 3600 * 1000;
constexpr const char* kPartitionPrefix = "measurements_p";


std::string quoted_time(int64_t ms) { return "'" + format_rfc3339(from_unix_ms(ms)) + "'"; }

// Hourly rows changed since the watermark, re-combined per UTC day (count-weighted mean). Each
// touched (series, day) reads its own 24 hours by the primary key (LATERAL): a join of the days
// against whole series would compare every day with every hour of the series' history.
constexpr const char* kDownsampleSql =
    "WITH touched AS (SELECT DISTINCT station_id, metric, source, "
    "date_trunc('day', bucket_start, 'UTC') AS day FROM aggregates_hourly "
    "WHERE updated_at > (SELECT daily_watermark FROM retention WHERE id = 1)) "
    "INSERT INTO aggregates_daily AS d (station_id, metric, day, source, mean, min, max, count) "
    "SELECT t.station_id, t.metric, t.day, t.source, a.mean, a.min, a.max, a.count "
    "FROM touched t CROSS JOIN LATERAL (SELECT sum(h.mean * h.count) / sum(h.count) AS mean, "
    "min(h.min) AS min, max(h.max) AS max, sum(h.count) AS count FROM aggregates_hourly h "
    "WHERE h.station_id = t.station_id AND h.metric = t.metric AND h.source = t.source "
    "AND h.bucket_start >= t.day AND h.bucket_start < t.day + interval '1 day' "
    "AND h.count > 0 AND h.mean IS NOT NULL) a WHERE a.count IS NOT NULL "
    "ON CONFLICT (station_id, metric, day, source) DO UPDATE SET mean = excluded.mean, "
    "min = excluded.min, max = excluded.max, count = excluded.count";
// A write transaction that began before this run may commit after it: keep a margin.
constexpr const char* kAdvanceWatermarkSql =
    "UPDATE retention SET daily_watermark = greatest(daily_watermark, "
    "statement_timestamp() - interval '5 minutes') WHERE id = 1";

}  // namespace

std::string partition_name(int64_t start_ms) {
  std::string day = format_rfc3339(from_unix_ms(start_ms)).substr(0, 10);
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  return kPartitionPrefix + day;
}

int64_t PgStore::partition_width_ms() const {
  return config_.partition_interval == PartitionInterval::week ? 7 * kDayMs : kDayMs;
}

Status PgStore::load_partitions(PgConnection& c) {
  auto rows = c.query(
      "SELECT " ENVMON_PG_MS("lower_bound") " FROM (SELECT (regexp_match("
      "pg_get_expr(k.relpartbound, k.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS "
      "lower_bound FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid "
      "WHERE i.inhparent = 'measurements'::regclass) b",
      Params());
  if (!rows.ok()) return rows.error().with_context("listing partitions");
  std::lock_guard lock(partitions_mutex_);
  for (int i = 0; i < rows->size(); ++i) partitions_.insert(rows->int64(i, 0));
  return ok_status();
}

// Partitions are created outside the write transaction, under an advisory lock, so concurrent
// writers (other envmon processes) neither race nor block on each other's merges.
Status PgStore::ensure_partitions(Timestamp from, Timestamp to) {
  if (timescale_) return ok_status();
  const int64_t width = partition_width_ms();
  std::vector<int64_t> missing;
  {
    std::lock_guard lock(partitions_mutex_);
    const int64_t first = to_unix_ms(from) / width * width;
    for (int64_t start = first; start < to_unix_ms(to); start += width)
      if (!partitions_.contains(start)) missing.push_back(start);
  }
  if (missing.empty()) return ok_status();
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  Status s = in_transaction(**c, [&](PgConnection& tx) -> Status {
    ENVMON_TRY(tx.exec("SELECT pg_advisory_xact_lock(7412251002)"));
    for (int64_t start : missing) {
      ENVMON_TRY(tx.exec("CREATE TABLE IF NOT EXISTS " + partition_name(start) +
                         " PARTITION OF measurements FOR VALUES FROM (" + quoted_time(start) +
                         ") TO (" + quoted_time(start + width) + ")"));
    }
    return ok_status();
  });
  if (!s.ok()) return s.error().with_context("creating partitions");
  std::lock_guard lock(partitions_mutex_);
  partitions_.insert(missing.begin(), missing.end());
  return ok_status();
}

Status PgStore::ensure_partitions_for(const WriteBatch& batch) {
  if (batch.readings.empty() || timescale_) return ok_status();
  auto [lo, hi] = std::minmax_element(
      batch.readings.begin(), batch.readings.end(),
      [](const Reading& a, const Reading& b) { return a.observed_at < b.observed_at; });
  const int64_t width = partition_width_ms();
  // Cheap path: a batch within known partitions needs no round trip. Rows spread over more
  // than a year are rare (backfill); each needed partition is still created.
  if (hi->observed_at - lo->observed_at > Millis(366 * kDayMs)) {
    std::set<int64_t> starts;
    for (const Reading& r : batch.readings) starts.insert(to_unix_ms(r.observed_at) / width * width);
    for (int64_t s : starts) ENVMON_TRY(ensure_partitions(from_unix_ms(s), from_unix_ms(s + 1)));
    return ok_status();
  }
  return ensure_partitions(lo->observed_at, hi->observed_at + Millis(1));
}

// Raw rows before the horizon: whole partitions are dropped, the one straddling it is trimmed
// with a DELETE (TimescaleDB: drop_chunks, then the same DELETE).
Result<int64_t> PgStore::drop_raw_before(PgConnection& tx, int64_t horizon_ms) {
  int64_t deleted = 0;
  if (timescale_) {
    ENVMON_TRY(tx.exec("SELECT drop_chunks('measurements', older_than => " +
                       quoted_time(horizon_ms) + "::timestamptz)"));
  } else {
    std::vector<int64_t> whole;
    {
      std::lock_guard lock(partitions_mutex_);
      for (int64_t start : partitions_)
        if (start + partition_width_ms() <= horizon_ms) whole.push_back(start);
    }
    for (int64_t start : whole) {
      auto n = tx.query("SELECT count(*) FROM " + partition_name(start), Params());
      if (!n.ok()) return n.error();
      deleted += n->int64(0, 0);
      ENVMON_TRY(tx.exec("DROP TABLE " + partition_name(start)));
      ENVMON_TRY(tx.command("DELETE FROM partition_maintenance WHERE partition = $1",
                            Params().add(partition_name(start))));
    }
  }
  auto rest = tx.query("WITH d AS (DELETE FROM measurements WHERE observed_at < " +
                           quoted_time(horizon_ms) + " RETURNING 1) SELECT count(*) FROM d",
                       Params());
  if (!rest.ok()) return rest.error();
  return deleted + rest->int64(0, 0);
}

Result<int64_t> PgStore::downsample_daily(PgConnection& c) {
  if (timescale_) return int64_t{0};  // the continuous aggregate's policy refreshes it
  auto rows = c.query(std::string(kDownsampleSql) + " RETURNING 1", Params());
  if (!rows.ok()) return rows.error().with_context("downsampling to daily aggregates");
  ENVMON_TRY(c.exec(kAdvanceWatermarkSql));
  return static_cast<int64_t>(rows->size());
}

// Downsampling first, so every hour that loses its raw rows already has its daily row; then
// the raw rows and the horizon move in one transaction (readers never see rows gone without
// the horizon that sends their sub-hour buckets to the aggregates).
Result<RetentionReport> PgStore::apply_retention(Timestamp raw_before) {
  const int64_t horizon = to_unix_ms(raw_before) / kHourMs * kHourMs;
  auto report = retain(horizon);
  if (!report.ok()) return report.error();
  // Keep partitions ahead of now for a long-running process.
  const Timestamp now = SystemClock().now();
  ENVMON_TRY(ensure_partitions(now, now + Millis(partition_width_ms() * config_.partitions_ahead)));
  return report;
}

namespace {

// Whether a partition's series are scattered over many more heap pages than their rows need:
// the heap pages a sample of its series (those of its first rows) sit on, against the fewest
// that could hold their rows (rows per page from ANALYZE). Rows written in small batches, every
// series interleaved, score near a row per page; a partition written in batches of a series'
// whole day scores near 1 and is left as it is. (ANALYZE's physical-order correlation, used
// before, misses the common case: sorted batches repeat the key order once per batch.)
constexpr double kScatteredPagesPerNeeded = 2.0;

Result<bool> scattered(PgConnection& tx, const std::string& partition) {
  ENVMON_TRY(tx.exec("ANALYZE " + partition));
  auto r = tx.query(
      "WITH sample AS (SELECT DISTINCT series_id FROM (SELECT series_id FROM " + partition +
          " LIMIT 2000) f LIMIT 8), per AS (SELECT m.series_id, count(*) AS n, "
          "count(DISTINCT (m.ctid::text::point)[0]) AS pages FROM " + partition +
          " m JOIN sample USING (series_id) GROUP BY m.series_id), "
          "fill AS (SELECT reltuples / greatest(relpages, 1) AS per_page FROM pg_class "
          "WHERE oid = $1::regclass) SELECT coalesce(sum(pages), 0), coalesce(sum(ceil(n / "
          "greatest(per_page, 1))), 0) FROM per, fill",
      Params().add(partition));
  if (!r.ok()) return r.error();
  return r->real(0, 0) > kScatteredPagesPerNeeded * r->real(0, 1);
}

}  // namespace

// Rows arrive time-ordered with every station interleaved (sorted only within a batch), so with
// small batches a week of one series sits on ~1,000 heap pages. Once a partition is closed (its
// end passed) it is rewritten in primary-key order, once, when its series are scattered; late
// rows into it later are merely appended.
Status PgStore::cluster_closed_partitions(PgConnection& c, int64_t now_ms) {
  if (timescale_) return ok_status();  // compression's segmentby does the same
  std::vector<int64_t> closed;
  {
    std::lock_guard lock(partitions_mutex_);
    for (int64_t start : partitions_)
      if (start + partition_width_ms() <= now_ms) closed.push_back(start);
  }
  auto done = c.query("SELECT partition FROM partition_maintenance", Params());
  if (!done.ok()) return done.error();
  std::set<std::string> clustered;
  for (int i = 0; i < done->size(); ++i) clustered.insert(done->text(i, 0));
  for (int64_t start : closed) {
    const std::string name = partition_name(start);
    if (clustered.contains(name)) continue;
    Status s = in_transaction(c, [&](PgConnection& tx) -> Status {
      auto spread = scattered(tx, name);
      if (!spread.ok()) return spread.error();
      if (*spread) ENVMON_TRY(tx.exec("CLUSTER " + name + " USING " + name + "_pkey"));
      return tx.command("INSERT INTO partition_maintenance (partition) VALUES ($1) "
                        "ON CONFLICT DO NOTHING", Params().add(name));
    });
    if (!s.ok()) return s.error().with_context("clustering " + name);
  }
  return ok_status();
}

Result<RetentionReport> PgStore::retain(int64_t horizon) {
  auto c = pool_.acquire();
  if (!c.ok()) return c.error();
  RetentionReport report;
  Status s = in_transaction(**c, [&](PgConnection& tx) -> Status {
    auto n = downsample_daily(tx);
    if (!n.ok()) return n.error();
    report.daily_rows_refreshed = *n;
    return ok_status();
  });
  if (!s.ok()) return s.error();
  s = in_transaction(**c, [&](PgConnection& tx) -> Status {
    auto n = drop_raw_before(tx, horizon);
    if (!n.ok()) return n.error();
    report.raw_rows_deleted = *n;
    auto h = tx.query("UPDATE retention SET raw_horizon = greatest(raw_horizon, " +
                          std::string(ENVMON_PG_TS("$1")) + ") WHERE id = 1 RETURNING " +
                          ENVMON_PG_MS("raw_horizon"),
                      Params().add(horizon));
    if (!h.ok()) return h.error();
    report.raw_horizon = from_unix_ms(h->int64(0, 0));
    return ok_status();
  });
  if (!s.ok()) return s.error().with_context("retention");
  {
    std::lock_guard lock(partitions_mutex_);
    std::erase_if(partitions_, [&](int64_t start) { return start + partition_width_ms() <= horizon; });
  }
  ENVMON_TRY(cluster_closed_partitions(**c, to_unix_ms(SystemClock().now())));
  return report;
}

}  // namespace envmon::store::postgres
