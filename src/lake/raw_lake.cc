#include "lake/raw_lake.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <zstd.h>

#include "lake/file/file_object_store.h"

namespace envmon::lake {
namespace {

constexpr int64_t kHourMs = int64_t{3600} * 1000;
constexpr std::string_view kCheckpointPrefix = "raw/_checkpoints/";

}  // namespace

std::string safe_segment(const std::string& s) {
  std::string out = s.empty() ? "_" : s;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

std::string padded(int64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  return buf;
}

std::string raw_partition_prefix(const std::string& source, Timestamp ingested_at) {
  const int64_t ms = to_unix_ms(floor_to(ingested_at, Millis(kHourMs)));
  const int64_t hour = ((ms % (24 * kHourMs)) + 24 * kHourMs) % (24 * kHourMs) / kHourMs;
  return "raw/source=" + safe_segment(source) + "/date=" + format_date(ingested_at) +
         "/hour=" + padded(hour, 2) + "/";
}

Result<std::string> zstd_compress(std::string_view data, int level) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  if (ZSTD_isError(n))
    return Error(Errc::lake_io, std::string("zstd compress: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

Result<std::string> zstd_decompress(std::string_view compressed) {
  const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Error(Errc::lake_io, "zstd: not a frame with a known content size");
  }
  std::string out(size, '\0');
  const size_t n = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n))
    return Error(Errc::lake_io, std::string("zstd decompress: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

RawLake::RawLake(ObjectStore& store, RawLakeConfig config)
    : store_(store), config_(std::move(config)) {}

RawLake::RawLake(std::unique_ptr<ObjectStore> store, RawLakeConfig config)
    : owned_(std::move(store)), store_(*owned_), config_(std::move(config)) {}

Status RawLake::start() {
  auto seq = load_checkpoint(store_, std::string(kCheckpointPrefix), watermarks_);
  if (!seq.ok()) return seq.error();
  checkpointed_seq_ = *seq;
  next_seq_ = checkpointed_seq_ + 1;
  return ok_status();
}
Status RawLake::append(const std::string& source, const std::string& station, Timestamp ingested_at,
                       std::string_view payload_json) {
  if (watermarks_.is_duplicate(source, station, ingested_at, payload_hash(payload_json))) {
    ++skipped_;
    return ok_status();
  }
  const PartitionKey key{source, to_unix_ms(floor_to(ingested_at, Millis(kHourMs)))};
  Buffer& b = buffers_[key];
  if (b.rows == 0) b.first = ingested_at;
  b.first = std::min(b.first, ingested_at);
  b.last = std::max(b.last, ingested_at);
  b.data.append(payload_json);
  b.data += '\n';
  ++b.rows;
  ++buffered_rows_;
  buffered_bytes_ += payload_json.size() + 1;
  if (static_cast<int64_t>(b.data.size()) < config_.max_part_bytes) return ok_status();
  ENVMON_TRY(write_part(key, b));
  buffered_rows_ -= static_cast<size_t>(b.rows);
  buffered_bytes_ -= b.data.size();
  buffers_.erase(key);
  return ok_status();
}

Status RawLake::append(const std::string& source, Timestamp ingested_at,
                       std::string_view payload_json) {
  return append(source, std::string(), ingested_at, payload_json);
}

Status RawLake::flush() {
  for (auto it = buffers_.begin(); it != buffers_.end();) {
    ENVMON_TRY(write_part(it->first, it->second));
    buffered_rows_ -= static_cast<size_t>(it->second.rows);
    buffered_bytes_ -= it->second.data.size();
    it = buffers_.erase(it);
  }
  if (next_seq_ - 1 == checkpointed_seq_) return ok_status();
  return write_checkpoint();
}

Status RawLake::write_part(const PartitionKey& key, const Buffer& buffer) {
  auto compressed = zstd_compress(buffer.data, static_cast<int>(config_.zstd_level));
  if (!compressed.ok()) return compressed.error();
  const std::string sha = sha256_hex(*compressed);
  const std::string prefix = raw_partition_prefix(key.first, from_unix_ms(key.second));
  const std::string name = "part-" + std::to_string(to_unix_ms(buffer.first)) + "-" +
                           padded(next_seq_, 8) + "-" + sha.substr(0, 8);
  const std::string part_key = prefix + name + ".jsonl.zst";
  auto put = store_.put(part_key, *compressed, true);
  // An identical part (same name, hence same content) from a replay before a crash is fine.
  if (!put.ok() && put.error().code() != Errc::lake_exists) return put.error();
  nlohmann::json manifest = {{"part", part_key},
                             {"rows", buffer.rows},
                             {"bytes", compressed->size()},
                             {"uncompressed_bytes", buffer.data.size()},
                             {"sha256", sha},
                             {"first_ingested_at", format_rfc3339(buffer.first)},
                             {"last_ingested_at", format_rfc3339(buffer.last)},
                             {"seq", next_seq_},
                             {"compression", "zstd"}};
  auto m = store_.put(prefix + "_manifest/" + name + ".json", manifest.dump(), true);
  if (!m.ok() && m.error().code() != Errc::lake_exists) return m.error();
  ++next_seq_;
  ++parts_written_;
  return ok_status();
}

Status RawLake::write_checkpoint() {
  const int64_t seq = next_seq_ - 1;
  ENVMON_TRY(lake::write_checkpoint(store_, std::string(kCheckpointPrefix), seq, watermarks_));
  checkpointed_seq_ = seq;
  return ok_status();
}

Result<std::unique_ptr<RawLake>> make_file_lake(const config::Node& settings,
                                                const std::string& data_dir) {
  auto cfg = parse_raw_lake_config(settings);
  if (!cfg.ok()) return cfg.error();
  std::filesystem::path root(cfg->root);
  if (root.is_relative()) root = std::filesystem::path(data_dir) / root;
  cfg->root = root.lexically_normal().string();
  return std::make_unique<RawLake>(make_file_object_store(cfg->root), *cfg);
}

}  // namespace envmon::lake
