// Write path of PgStore: a batch is reduced in memory (one row per key, the newest per series and
// per station), its series resolved to ids (pg_series.h), split by station over up to
// `write_connections` pooled connections, and each share is written in its own transaction:
// rows after their series' newest stored one by binary COPY straight into `measurements`, the
// others (and everything else) by binary COPY into session-local staging tables and the
// idempotent ON CONFLICT merge.
#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>

#include "store/batch_reduce.h"
#include "store/postgres/pg_copy.h"
#include "store/postgres/pg_parallel.h"
#include "store/postgres/pg_store.h"

namespace envmon::store::postgres {
namespace {

// Session-local staging tables (no WAL, emptied at every commit), created once per connection.
constexpr const char* kStagingSql = R"sql(
SET temp_buffers = '64MB';
CREATE TEMP TABLE IF NOT EXISTS stage_measurements (
  series_id int4, observed_at timestamptz, value float8, raw float8, flags int4,
  ingested_at timestamptz) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_latest (LIKE stage_measurements) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_series (station_id text, metric text, source text)
  ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_progress (
  source text, station_id text, max_ingested_at timestamptz) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_aggregates (
  station_id text, metric text, bucket_start timestamptz, source text, bucket_secs int4,
  mean float8, min float8, max float8, count int8, revision int4, dominant text)
  ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS stage_dead_letters (
  stage text, error_code text, reason text, topic text, key text, payload bytea,
  at timestamptz) ON COMMIT DELETE ROWS;
)sql";

// Rows after their series' newest stored one (the common case) are COPYed straight into
// measurements, as fast as a plain COPY; when one exists all the same (another writer got
// there first) that fails and those rows go through the staging table and the merge too.
constexpr const char* kCopyFromStdin = " FROM STDIN (FORMAT binary)";
constexpr const char* kUniqueViolation = "23505";

// Merges: an unchanged row is not rewritten (IS DISTINCT FROM), so a replay writes nothing.
constexpr const char* kMergeMeasurements =
    "INSERT INTO measurements AS m SELECT * FROM stage_measurements "
    "ON CONFLICT (series_id, observed_at) DO UPDATE SET value = excluded.value, "
    "raw = excluded.raw, flags = excluded.flags, ingested_at = excluded.ingested_at "
    "WHERE (m.value, m.raw, m.flags, m.ingested_at) IS DISTINCT FROM "
    "(excluded.value, excluded.raw, excluded.flags, excluded.ingested_at)";
constexpr const char* kMergeLatest =
    "INSERT INTO latest AS l SELECT * FROM stage_latest ON CONFLICT (series_id) DO UPDATE SET "
    "observed_at = excluded.observed_at, value = excluded.value, raw = excluded.raw, "
    "flags = excluded.flags, ingested_at = excluded.ingested_at "
    "WHERE excluded.observed_at >= l.observed_at AND (l.observed_at, l.value, l.raw, l.flags, "
    "l.ingested_at) IS DISTINCT FROM (excluded.observed_at, excluded.value, excluded.raw, "
    "excluded.flags, excluded.ingested_at)";
constexpr const char* kMergeProgress =
    "INSERT INTO source_progress AS p SELECT * FROM stage_progress "
    "ON CONFLICT (source, station_id) DO UPDATE SET max_ingested_at = excluded.max_ingested_at "
    "WHERE excluded.max_ingested_at > p.max_ingested_at";
constexpr const char* kMergeAggregates =
    "INSERT INTO aggregates_hourly AS a (station_id, metric, bucket_start, source, bucket_secs, "
    "mean, min, max, count, revision, dominant) SELECT * FROM stage_aggregates "
    "ON CONFLICT (station_id, metric, bucket_start, source) DO UPDATE SET "
    "bucket_secs = excluded.bucket_secs, mean = excluded.mean, min = excluded.min, "
    "max = excluded.max, count = excluded.count, revision = excluded.revision, "
    "dominant = excluded.dominant, updated_at = now() "
    "WHERE (a.bucket_secs, a.mean, a.min, a.max, a.count, a.revision, a.dominant) IS DISTINCT "
    "FROM (excluded.bucket_secs, excluded.mean, excluded.min, excluded.max, excluded.count, "
    "excluded.revision, excluded.dominant)";
constexpr const char* kMergeDeadLetters =
    "INSERT INTO dead_letters (stage, error_code, reason, topic, key, payload, at) "
    "SELECT * FROM stage_dead_letters ON CONFLICT DO NOTHING";

// The rows of `rows` (sorted by series and time) that `keep` selects, as measurements' (and
// latest's) columns; empty when there are none.
template <typename Keep>
std::string encode_measurements(const std::vector<SeriesRow>& rows, Keep&& keep) {
  CopyEncoder e;
  for (size_t i = 0; i < rows.size(); ++i) {
    const SeriesRow& row = rows[i];
    if (!keep(i)) continue;
    const Measurement& m = *row.ref.measurement;
    e.begin_row(6);
    e.int4(row.series);
    e.timestamptz(row.ref.reading->observed_at);
    e.float8(m.value);
    e.float8(m.raw);
    e.int4(m.flags);
    e.timestamptz(row.ref.reading->ingested_at);
    e.count_row();
  }
  return e.rows() == 0 ? std::string() : e.finish();
}

std::string encode_progress(const std::vector<const Reading*>& readings) {
  CopyEncoder e;
  for (const Reading* r : readings) {
    e.begin_row(3);
    e.text(r->source.get());
    e.text(r->station.id.get());
    e.timestamptz(r->ingested_at);
  }
  return e.finish();
}

std::string encode_aggregates(const std::vector<const Aggregate*>& aggregates) {
  CopyEncoder e;
  for (const Aggregate* a : aggregates) {
    e.begin_row(11);
    e.text(a->station.get());
    e.text(metric_id(a->metric));
    e.timestamptz(a->bucket_start);
    e.text(a->source.get());
    e.int4(static_cast<int32_t>(a->bucket.count()));
    e.float8(a->mean);
    e.float8(a->min);
    e.float8(a->max);
    e.int8(a->count);
    e.int4(a->revision);
    e.text(a->dominant);
  }
  return e.finish();
}

std::string encode_dead_letters(const std::vector<DeadLetter>& dead_letters) {
  CopyEncoder e;
  for (const DeadLetter& d : dead_letters) {
    e.begin_row(7);
    // A dead letter is often about bad bytes: its text fields are made storable.
    e.text(storable_text(d.stage));
    e.text(storable_text(d.error_code));
    e.text(storable_text(d.reason));
    e.text(storable_text(d.topic));
    e.text(storable_text(d.key));
    e.bytea(d.payload);
    e.timestamptz(d.at);
  }
  return e.finish();
}

constexpr const char* kCopyStageMeasurements = "COPY stage_measurements FROM STDIN (FORMAT binary)";

// A table and the PGCOPY stream of its rows.
struct CopyStream {
  std::string table, data;
};

// Measurements: `fresh` (rows after their series' newest stored one, by table) by binary COPY
// straight into their tables, `maybe` (rows that may exist) into staging and the merge; fresh
// rows go there too when one of them existed after all. Empty `maybe`: no such rows.
Status copy_measurements(PgConnection& c, const std::vector<CopyStream>& fresh,
                         const std::string& maybe) {
  bool staged = false;
  if (!fresh.empty()) {
    ENVMON_TRY(c.exec("SAVEPOINT fresh"));
    bool copied = true;
    for (size_t i = 0; i < fresh.size() && copied; ++i) {
      auto r = c.copy_in_tolerating("COPY " + fresh[i].table + kCopyFromStdin, fresh[i].data,
                                    kUniqueViolation);
      if (!r.ok()) return r.error();
      copied = *r;
    }
    if (copied) {
      ENVMON_TRY(c.exec("RELEASE SAVEPOINT fresh"));
    } else {
      ENVMON_TRY(c.exec("ROLLBACK TO SAVEPOINT fresh"));
      for (const CopyStream& f : fresh) ENVMON_TRY(c.copy_in(kCopyStageMeasurements, f.data));
      staged = true;
    }
  }
  if (!maybe.empty()) {
    ENVMON_TRY(c.copy_in(kCopyStageMeasurements, maybe));
    staged = true;
  }
  return staged ? c.exec(kMergeMeasurements) : ok_status();
}

// COPY `data` into `stage` and run `merge`; nothing when there are no rows.
Status copy_merge(PgConnection& c, const char* stage, const std::string& data, bool empty,
                  const char* merge) {
  if (empty) return ok_status();
  ENVMON_TRY(c.copy_in(std::string("COPY ") + stage + " FROM STDIN (FORMAT binary)", data));
  return c.exec(merge);
}

// A share smaller than this is not worth a second transaction (and its commit's fsync).
constexpr size_t kMinRowsPerShard = 5000;

// One connection's share of a batch: every row of the stations that hash to it, so shares
// touch disjoint keys (no lock waits between them) and each station's rows, latest and
// progress commit together.
struct Shard {
  std::vector<SeriesRow> rows;
  std::vector<const Reading*> progress;
  std::vector<const Aggregate*> aggregates;
  const std::vector<DeadLetter>* dead_letters = nullptr;  // all in the first share
  bool empty() const {
    return rows.empty() && progress.empty() && aggregates.empty() &&
           (dead_letters == nullptr || dead_letters->empty());
  }
};

size_t shard_of(std::string_view station, size_t shards) {
  return std::hash<std::string_view>()(station) % shards;
}

// Stations over the shares by their rows, largest first, each to the least loaded share: the
// shares end within about one station's rows of each other (a hash of the station left the
// bench's 200 stations 94 to 106, and a write waits for its slowest share).
std::unordered_map<std::string_view, size_t> balance_stations(const std::vector<SeriesRow>& rows,
                                                              size_t shards) {
  std::unordered_map<std::string_view, size_t> rows_of;
  for (size_t i = 0, run = 1; i < rows.size(); ++i, ++run) {  // a reading's rows are adjacent
    const Reading* r = rows[i].ref.reading;
    if (i + 1 < rows.size() && rows[i + 1].ref.reading == r) continue;
    rows_of[r->station.id.get()] += run;
    run = 0;
  }
  std::vector<std::pair<size_t, std::string_view>> order;
  for (const auto& [station, n] : rows_of) order.emplace_back(n, station);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<size_t> load(shards, 0);
  std::unordered_map<std::string_view, size_t> out;
  for (const auto& [n, station] : order) {
    const size_t k = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    out[station] = k;
    load[k] += n;
  }
  return out;
}

std::vector<Shard> split(const WriteBatch& batch, std::vector<SeriesRow> rows, size_t shards) {
  const size_t n = batch.readings.size();
  if (shards == 1) {  // the usual batch: the reductions are the share, not copied into it
    std::vector<Shard> one(1);
    one.front().rows = std::move(rows);
    one.front().progress = newest_ingest_per_station(batch, 0, n);
    one.front().aggregates = unique_aggregates(batch.aggregates);
    one.front().dead_letters = &batch.dead_letters;
    return one;
  }
  const auto balanced = balance_stations(rows, shards);
  // A station without rows in the batch (only aggregates) goes by its hash.
  const auto share = [&](std::string_view station) {
    auto it = balanced.find(station);
    return it != balanced.end() ? it->second : shard_of(station, shards);
  };
  std::vector<Shard> out(shards);
  size_t k = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Reading* r = rows[i].ref.reading;
    if (i == 0 || rows[i - 1].ref.reading != r) k = share(r->station.id.get());
    out[k].rows.push_back(rows[i]);
  }
  for (const Reading* r : newest_ingest_per_station(batch, 0, n))
    out[share(r->station.id.get())].progress.push_back(r);
  for (const Aggregate* a : unique_aggregates(batch.aggregates))
    out[share(a->station.get())].aggregates.push_back(a);
  out[0].dead_letters = &batch.dead_letters;
  return out;
}

bool aggregate_key_less(const Aggregate* a, const Aggregate* b) {
  if (a->station != b->station) return a->station.get() < b->station.get();
  const std::string_view ma = metric_id(a->metric), mb = metric_id(b->metric);
  if (ma != mb) return ma < mb;
  if (a->bucket_start != b->bucket_start) return a->bucket_start < b->bucket_start;
  return a->source.get() < b->source.get();
}

// Fresh rows (sorted) by the table they are COPYed into (their partition, see CopyRoute).
std::vector<CopyStream> encode_fresh(const std::vector<SeriesRow>& rows, const CopyRoute& route) {
  std::vector<int64_t> parts;  // one or two in the usual batch
  for (const SeriesRow& r : rows) {
    const int64_t p = route.part(r.at_ms);
    if (!r.maybe_stored && std::find(parts.begin(), parts.end(), p) == parts.end()) {
      parts.push_back(p);
    }
  }
  std::vector<CopyStream> out;
  for (int64_t p : parts) {
    out.push_back({route.table(p), encode_measurements(rows, [&](size_t i) {
                     return !rows[i].maybe_stored && route.part(rows[i].at_ms) == p;
                   })});
  }
  return out;
}

// Encodes everything first, then one transaction of COPY + merge per table.
Status merge_shard(PgConnection& c, Shard& s, const CopyRoute& route) {
  if (s.empty()) return ok_status();
  ENVMON_TRY(prepare_staging(c));
  // The primary key's order: consecutive index insertions land on the same leaf pages, which
  // costs the server about a third less CPU than the arrival order (time-major, every series
  // interleaved), and a series' rows of one batch end up adjacent on the heap.
  std::sort(s.rows.begin(), s.rows.end(), series_row_less);
  std::sort(s.aggregates.begin(), s.aggregates.end(), aggregate_key_less);
  const auto& rows = s.rows;
  const std::vector<CopyStream> fresh = encode_fresh(rows, route);
  const std::string maybe =
      encode_measurements(rows, [&](size_t i) { return rows[i].maybe_stored; });
  // Each series' newest row of the share (the last of its run) for `latest`.
  const std::string latest = encode_measurements(
      rows, [&](size_t i) { return i + 1 == rows.size() || rows[i + 1].series != rows[i].series; });
  const std::string progress = encode_progress(s.progress);
  const std::string aggregates = encode_aggregates(s.aggregates);
  const bool no_dead = s.dead_letters == nullptr || s.dead_letters->empty();
  const std::string dead = no_dead ? std::string() : encode_dead_letters(*s.dead_letters);
  return in_transaction(c, [&](PgConnection& tx) -> Status {
    ENVMON_TRY(copy_measurements(tx, fresh, maybe));
    ENVMON_TRY(copy_merge(tx, "stage_latest", latest, latest.empty(), kMergeLatest));
    ENVMON_TRY(copy_merge(tx, "stage_progress", progress, s.progress.empty(), kMergeProgress));
    ENVMON_TRY(copy_merge(tx, "stage_aggregates", aggregates, s.aggregates.empty(),
                          kMergeAggregates));
    return copy_merge(tx, "stage_dead_letters", dead, no_dead, kMergeDeadLetters);
  });
}

}  // namespace

Status prepare_staging(PgConnection& c) {
  if (c.staging_ready) return ok_status();
  ENVMON_TRY(c.exec(kStagingSql));
  c.staging_ready = true;
  return ok_status();
}

namespace {

// One share and, once it committed, its rows recorded as stored.
Status write_share(PgConnection& c, Shard& s, const CopyRoute& route, SeriesRegistry& series) {
  Status status = merge_shard(c, s, route);
  if (status.ok()) series.committed(s.rows);
  return status;
}

}  // namespace

// Acknowledged only when every share committed. When one share fails after another committed,
// the caller's retry of the whole batch is idempotent (committed keys merge to no change).
Status PgStore::write(const WriteBatch& batch) {
  if (batch.size() == 0) return ok_status();
  ENVMON_TRY(ensure_partitions_for(batch));
  auto first = pool_.acquire();
  if (!first.ok()) return first.error();
  ENVMON_TRY(prepare_staging(**first));
  auto rows = series_.resolve(**first, unique_rows(batch, 0, batch.readings.size()));
  if (!rows.ok()) return rows.error();
  std::vector<PgPool::Lease> leases;
  leases.push_back(std::move(*first));
  // Further connections only if idle and connected right now: a write never waits holding one
  // (two writers holding one each cannot deadlock) and queries keep theirs.
  const size_t wanted = std::clamp<size_t>(rows->size() / kMinRowsPerShard, 1,
                                           static_cast<size_t>(config_.write_connections));
  while (leases.size() < wanted) {
    std::optional<PgPool::Lease> more = pool_.try_acquire();
    if (!more) break;
    leases.push_back(std::move(*more));
  }
  std::vector<Shard> shards = split(batch, std::move(*rows), leases.size());
  const CopyRoute route{timescale_ ? 0 : partition_width_ms()};
  return run_shares(leases.size(), [&](size_t i) {
    return write_share(*leases[i], shards[i], route, series_);
  });
}

}  // namespace envmon::store::postgres
