#include "lake/curated_lake.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "lake/file/file_object_store.h"
#include "lake/parquet/parquet_reader.h"
#include "lake/parquet/parquet_writer.h"
#include "lake/raw_lake.h"

namespace envmon::lake {
namespace {

using parquet::ColumnSpec;
using parquet::ColumnType;
using parquet::Repetition;
using parquet::StringEncoding;

constexpr std::string_view kCheckpointPrefix = "curated/_checkpoints/";
constexpr std::string_view kIntentPrefix = "curated/_compaction/";
constexpr std::string_view kPartSuffix = ".parquet";

enum Col : size_t { kSource, kStation, kRegion, kMetric, kUnit, kObserved, kIngested, kValue, kRaw,
                    kFlags };

parquet::WriterOptions writer_options(const CuratedLakeConfig& c) {
  parquet::WriterOptions o;
  o.codec = c.codec == CuratedCodec::zstd ? parquet::Codec::zstd : parquet::Codec::uncompressed;
  o.zstd_level = static_cast<int>(c.zstd_level);
  o.row_group_rows = c.row_group_rows;
  return o;
}

int64_t first_observed_ms(const parquet::Table& t) {
  const auto& v = t.column(kObserved).ints;
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

Result<nlohmann::json> get_json(ObjectStore& store, const std::string& key) {
  auto text = store.get(key);
  if (!text.ok()) return text.error();
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(Errc::lake_io, key + " is not a JSON object");
  return doc;
}

bool is_part(const std::string& key) {
  return key.size() > kPartSuffix.size() &&
         key.compare(key.size() - kPartSuffix.size(), kPartSuffix.size(), kPartSuffix) == 0 &&
         key.find("/part-") != std::string::npos;
}

}  // namespace

const std::vector<ColumnSpec>& curated_schema() {
  static const std::vector<ColumnSpec> schema = {
      {"source", ColumnType::string, Repetition::required, StringEncoding::dictionary},
      {"station", ColumnType::string, Repetition::required, StringEncoding::dictionary},
      {"region", ColumnType::string, Repetition::optional, StringEncoding::dictionary},
      {"metric", ColumnType::string, Repetition::required, StringEncoding::dictionary},
      {"unit", ColumnType::string, Repetition::required, StringEncoding::dictionary},
      {"observed_at", ColumnType::timestamp_ms, Repetition::required},
      {"ingested_at", ColumnType::timestamp_ms, Repetition::required},
      {"value", ColumnType::float64, Repetition::optional},
      {"raw", ColumnType::float64, Repetition::optional},
      {"flags", ColumnType::int32, Repetition::required},
  };
  return schema;
}

std::string curated_partition_prefix(Timestamp observed_at, const std::string& region) {
  return "curated/date=" + format_date(observed_at) +
         "/region=" + (region.empty() ? std::string("_unknown") : safe_segment(region)) + "/";
}

CuratedLake::CuratedLake(ObjectStore& store, CuratedLakeConfig config)
    : store_(store), config_(std::move(config)) {}

Status CuratedLake::start() {
  auto intents = store_.list(std::string(kIntentPrefix));
  if (!intents.ok()) return intents.error();
  for (const ObjectInfo& i : *intents)
    ENVMON_TRY(finish_compaction(i.key));
  auto seq = load_checkpoint(store_, std::string(kCheckpointPrefix), watermarks_);
  if (!seq.ok()) return seq.error();
  checkpointed_seq_ = *seq;
  next_seq_ = checkpointed_seq_ + 1;
  return ok_status();
}

void CuratedLake::append(const Reading& r, std::string_view payload) {
  if (watermarks_.is_duplicate(r.source.get(), r.station.id.get(), r.ingested_at,
                               payload_hash(payload))) {
    ++skipped_;
    return;
  }
  const std::string region = r.enrichment ? r.enrichment->region : std::string();
  auto [it, added] = buffers_.try_emplace({format_date(r.observed_at), region}, curated_schema());
  parquet::Table& t = it->second;
  for (const Measurement& m : r.measurements) {
    t.set_string(kSource, r.source.get());
    t.set_string(kStation, r.station.id.get());
    if (!region.empty()) t.set_string(kRegion, region);
    t.set_string(kMetric, metric_id(m.metric));
    t.set_string(kUnit, metric_info(m.metric).unit);
    t.set_int(kObserved, to_unix_ms(r.observed_at));
    t.set_int(kIngested, to_unix_ms(r.ingested_at));
    if (!std::isnan(m.value)) t.set_double(kValue, m.value);
    if (!std::isnan(m.raw)) t.set_double(kRaw, m.raw);
    t.set_int(kFlags, m.flags);
    t.end_row();
    ++buffered_rows_;
  }
}

Status CuratedLake::flush() {
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    if (it->second.rows() > 0) ENVMON_TRY(write_part(it->first, it->second));
    buffered_rows_ -= it->second.rows();
    it = buffers_.erase(it);
  }
  if (next_seq_ - 1 == checkpointed_seq_) return ok_status();
  return write_checkpoint();
}

std::string CuratedLake::next_part_key(const std::string& prefix, int64_t first_ms,
                                       const std::string& sha) {
  return prefix + "part-" + std::to_string(first_ms) + "-" + padded(next_seq_, 8) + "-" +
         sha.substr(0, 8) + std::string(kPartSuffix);
}

// A partition buffer above max_file_rows becomes several files; the whole buffer stays until
// every one is written (a retry rewrites the same names: same seq, same content).
Status CuratedLake::write_part(const PartitionKey& key, const parquet::Table& rows) {
  const std::string prefix = curated_partition_prefix(
      from_unix_ms(first_observed_ms(rows)), key.second);
  const auto max_rows = static_cast<size_t>(config_.max_file_rows);
  const int64_t seq_before = next_seq_;
  for (size_t b = 0; b < rows.rows(); b += max_rows) {
    parquet::Table slice(curated_schema());
    const size_t e = std::min(rows.rows(), b + max_rows);
    slice.reserve(e - b);
    for (size_t r = b; r < e; ++r)
      slice.append_row(rows, r);
    auto bytes = parquet::write_parquet(slice, writer_options(config_));
    if (!bytes.ok()) return bytes.error();
    const std::string part = next_part_key(prefix, first_observed_ms(slice), sha256_hex(*bytes));
    auto put = store_.put(part, *bytes, true);
    if (!put.ok() && put.error().code() != Errc::lake_exists) {
      next_seq_ = seq_before;
      return put.error().with_context("curated lake");
    }
    ++next_seq_;
  }
  files_written_ += next_seq_ - seq_before;
  files_since_compaction_[prefix] += next_seq_ - seq_before;
  return ok_status();
}

Status CuratedLake::write_checkpoint() {
  const int64_t seq = next_seq_ - 1;
  ENVMON_TRY(lake::write_checkpoint(store_, std::string(kCheckpointPrefix), seq, watermarks_));
  checkpointed_seq_ = seq;
  return ok_status();
}

Status CuratedLake::compact() {
  for (auto& [prefix, files] : files_since_compaction_) {
    if (files < config_.compact_min_files) continue;
    ENVMON_TRY(compact_partition(prefix));
    files = 0;
  }
  return ok_status();
}

// Merges the partition's small files, oldest first, into files of at most max_file_rows.
Status CuratedLake::compact_partition(const std::string& prefix) {
  auto list = store_.list(prefix);
  if (!list.ok()) return list.error();
  std::vector<std::string> inputs;
  for (const ObjectInfo& o : *list) {
    if (is_part(o.key) && o.size < config_.compact_small_file_bytes) inputs.push_back(o.key);
  }
  if (static_cast<int64_t>(inputs.size()) < config_.compact_min_files) return ok_status();
  parquet::Table merged(curated_schema());
  for (const std::string& key : inputs) {
    auto bytes = store_.get(key);
    if (!bytes.ok()) return bytes.error();
    auto t = parquet::read_parquet(*bytes);
    if (!t.ok()) return t.error().with_context(key);
    for (size_t r = 0; r < t->rows(); ++r)
      merged.append_row(*t, r);
  }
  if (merged.rows() > static_cast<size_t>(config_.max_file_rows)) {
    inputs.clear();  // too many rows for one file: leave them (they are not small then)
    return ok_status();
  }
  auto bytes = parquet::write_parquet(merged, writer_options(config_));
  if (!bytes.ok()) return bytes.error();
  const std::string output = next_part_key(prefix, first_observed_ms(merged), sha256_hex(*bytes));
  const std::string intent = std::string(kIntentPrefix) + padded(next_seq_, 8) + ".json";
  nlohmann::json doc = {{"output", output}, {"inputs", inputs}, {"rows", merged.rows()}};
  auto put_intent = store_.put(intent, doc.dump(), true);
  if (!put_intent.ok()) return put_intent.error();
  ++next_seq_;
  auto put = store_.put(output, *bytes, true);
  if (!put.ok() && put.error().code() != Errc::lake_exists) {
    (void)store_.remove(intent);  // inputs untouched: nothing to undo
    return put.error();
  }
  files_compacted_ += static_cast<int64_t>(inputs.size());
  return finish_compaction(intent);
}

// Completes one compaction: when its output exists, the inputs go; the intent goes last.
Status CuratedLake::finish_compaction(const std::string& intent_key) {
  auto doc = get_json(store_, intent_key);
  if (!doc.ok()) return doc.error();
  auto done = store_.exists(doc->value("output", std::string()));
  if (!done.ok()) return done.error();
  if (*done) {
    for (const auto& in : doc->value("inputs", nlohmann::json::array())) {
      if (Status s = store_.remove(in.get<std::string>()); !s.ok()) return s;
    }
  }
  return store_.remove(intent_key);
}

}  // namespace envmon::lake
