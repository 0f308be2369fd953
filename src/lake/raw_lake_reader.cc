#include "lake/raw_lake_reader.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include <nlohmann/json.hpp>
#include <zstd.h>

#include "lake/file/file_object_store.h"
#include "lake/raw_lake.h"

namespace envmon::lake {
namespace {

constexpr int64_t kHourMs = int64_t{3600} * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr std::string_view kSourcePrefix = "raw/source=";
constexpr std::string_view kPartSuffix = ".jsonl.zst";
constexpr std::string_view kManifestDir = "_manifest/";
constexpr std::string_view kManifestSuffix = ".json";
// Up to this many days, one listing per (source, day) keeps a short replay from walking a whole
// source's history; beyond it, one listing per source is fewer round trips.
constexpr int64_t kMaxDayListings = 31;
// Ceiling for a part whose manifest has no uncompressed size: parts are cut at max_part_bytes
// (MiBs), so anything near this is corrupt or hostile, not data.
constexpr size_t kMaxPartUncompressed = size_t{1} << 30;

Error lake_error(const std::string& key, const std::string& what) {
  return Error(Errc::lake_io, "raw lake object '" + key + "': " + what);
}

// [first_hour_ms, end_ms): hour partitions starting in it overlap the caller's [from, to).
struct HourRange {
  int64_t first_hour_ms = 0;
  int64_t end_ms = 0;
  bool contains(int64_t hour_ms) const { return hour_ms >= first_hour_ms && hour_ms < end_ms; }
};

// Sanitized source names to keep; nullopt = every source.
using SourceFilter = std::optional<std::set<std::string>>;

struct PartRef {
  std::string source;
  int64_t hour_ms = 0;
  int64_t first_ms = 0;
  int64_t seq = 0;
  std::string key;
  std::string manifest_key;
};

// The partition fields of a key under raw/source=<s>/date=<d>/hour=<h>/; `rest` is what follows.
struct PartitionPath {
  std::string source;
  int64_t hour_ms = 0;
  std::string prefix;
  std::string rest;
};

bool is_source_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<int64_t> parse_digits(std::string_view s) {
  if (!all_digits(s) || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

// The writer's name for a source (raw_partition_prefix sanitizes it), so the filter matches paths.
std::string sanitized_source(const std::string& name) {
  const std::string prefix = raw_partition_prefix(name, from_unix_ms(0));
  const size_t end = prefix.find("/date=", kSourcePrefix.size());
  return prefix.substr(kSourcePrefix.size(), end - kSourcePrefix.size());
}

std::optional<PartitionPath> parse_partition(std::string_view key) {
  if (!key.starts_with(kSourcePrefix)) return std::nullopt;
  key.remove_prefix(kSourcePrefix.size());
  const size_t slash = key.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  PartitionPath out;
  out.source = std::string(key.substr(0, slash));
  if (!std::all_of(out.source.begin(), out.source.end(), is_source_char)) return std::nullopt;
  key.remove_prefix(slash + 1);
  // "date=YYYY-MM-DD/hour=HH/" is 24 characters.
  if (key.size() <= 24 || !key.starts_with("date=") || key.substr(15, 6) != "/hour=" ||
      key[23] != '/')
    return std::nullopt;
  const std::string_view date = key.substr(5, 10);
  const auto day = parse_date(date);
  const auto hour = parse_digits(key.substr(21, 2));
  if (!day.ok() || format_date(*day) != date || !hour || *hour > 23) return std::nullopt;
  out.hour_ms = to_unix_ms(*day) + *hour * kHourMs;
  out.prefix = std::string(kSourcePrefix) + out.source + "/" + std::string(key.substr(0, 24));
  out.rest = std::string(key.substr(24));
  return out;
}

// "part-<first-ingest-ms>-<seq>-<sha8>" (no suffix) -> first ms and seq.
std::optional<std::pair<int64_t, int64_t>> parse_part_base(std::string_view base) {
  if (!base.starts_with("part-")) return std::nullopt;
  base.remove_prefix(5);
  const size_t a = base.find('-');
  const size_t b = a == std::string_view::npos ? a : base.find('-', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const auto first = parse_digits(base.substr(0, a));
  const auto seq = parse_digits(base.substr(a + 1, b - a - 1));
  const std::string_view sha8 = base.substr(b + 1);
  if (!first || !seq || sha8.size() != 8 || !all_hex(sha8)) return std::nullopt;
  return std::make_pair(*first, *seq);
}

// Parts and manifests found in the range, before they are paired up.
struct Listing {
  std::vector<PartRef> parts;
  std::set<std::string> manifests;
};

Status classify(const std::string& key, const HourRange& range, const SourceFilter& filter,
                Listing& out) {
  auto path = parse_partition(key);
  if (!path) return lake_error(key, "path does not parse as raw/source=<s>/date=<d>/hour=<h>/...");
  if (!range.contains(path->hour_ms) || (filter && !filter->contains(path->source)))
    return ok_status();
  std::string_view rest = path->rest;
  if (rest.starts_with(kManifestDir) && rest.ends_with(kManifestSuffix)) {
    rest = rest.substr(kManifestDir.size(),
                       rest.size() - kManifestDir.size() - kManifestSuffix.size());
    if (!parse_part_base(rest)) return lake_error(key, "manifest name does not parse");
    out.manifests.insert(key);
    return ok_status();
  }
  if (!rest.ends_with(kPartSuffix)) return lake_error(key, "not a raw lake part or manifest");
  const std::string_view base = rest.substr(0, rest.size() - kPartSuffix.size());
  const auto ids = parse_part_base(base);
  if (!ids) return lake_error(key, "part name does not parse as part-<ms>-<seq>-<sha8>.jsonl.zst");
  out.parts.push_back({path->source, path->hour_ms, ids->first, ids->second, key,
                       path->prefix + std::string(kManifestDir) + std::string(base) +
                           std::string(kManifestSuffix)});
  return ok_status();
}

// Narrow prefixes when the caller names sources and the range is short (see kMaxDayListings).
std::vector<std::string> listing_prefixes(const HourRange& range, const SourceFilter& filter) {
  if (!filter) return {std::string(kSourcePrefix)};
  const int64_t first_day = to_unix_ms(floor_to(from_unix_ms(range.first_hour_ms), Millis(kDayMs)));
  const int64_t last_day = to_unix_ms(floor_to(from_unix_ms(range.end_ms - 1), Millis(kDayMs)));
  const bool per_day = (last_day - first_day) / kDayMs + 1 <= kMaxDayListings;
  std::vector<std::string> out;
  for (const auto& source : *filter) {
    const std::string base = std::string(kSourcePrefix) + source + "/";
    if (!per_day) {
      out.push_back(base);
      continue;
    }
    for (int64_t day = first_day; day <= last_day; day += kDayMs)
      out.push_back(base + "date=" + format_date(from_unix_ms(day)) + "/");
  }
  return out;
}

// Every part in the range, paired with its manifest and sorted into scan order.
Result<std::vector<PartRef>> plan_parts(ObjectStore& store, const HourRange& range,
                                        const SourceFilter& filter) {
  Listing listing;
  for (const auto& prefix : listing_prefixes(range, filter)) {
    auto objects = store.list(prefix);
    if (!objects.ok()) return objects.error().with_context("listing raw lake '" + prefix + "'");
    for (const auto& o : *objects)
      ENVMON_TRY(classify(o.key, range, filter, listing));
  }
  std::set<std::string> expected;
  for (const auto& p : listing.parts) {
    if (!listing.manifests.contains(p.manifest_key))
      return lake_error(p.key, "manifest '" + p.manifest_key + "' is missing");
    expected.insert(p.manifest_key);
  }
  for (const auto& m : listing.manifests) {
    if (!expected.contains(m)) return lake_error(m, "manifest without its part");
  }
  std::sort(listing.parts.begin(), listing.parts.end(), [](const PartRef& a, const PartRef& b) {
    return std::tie(a.source, a.hour_ms, a.first_ms, a.seq, a.key) <
           std::tie(b.source, b.hour_ms, b.first_ms, b.seq, b.key);
  });
  return std::move(listing.parts);
}

struct Manifest {
  int64_t rows = 0;
  int64_t bytes = 0;
  std::optional<int64_t> uncompressed_bytes;
  std::string sha256;
};

Result<Manifest> load_manifest(ObjectStore& store, const PartRef& part) {
  auto text = store.get(part.manifest_key);
  if (!text.ok()) return text.error().with_context("raw lake manifest '" + part.manifest_key + "'");
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  const auto int_field = [&](const char* name) -> std::optional<int64_t> {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_number_integer() || it->get<int64_t>() < 0) return std::nullopt;
    return it->get<int64_t>();
  };
  if (doc.is_discarded() || !doc.is_object())
    return lake_error(part.manifest_key, "manifest is not a JSON object");
  const auto rows = int_field("rows");
  const auto bytes = int_field("bytes");
  const auto sha = doc.find("sha256");
  const auto named = doc.find("part");
  if (!rows || !bytes || sha == doc.end() || !sha->is_string() || named == doc.end() ||
      !named->is_string())
    return lake_error(part.manifest_key, "manifest lacks rows, bytes, sha256 or part");
  if (named->get<std::string>() != part.key)
    return lake_error(part.manifest_key, "manifest names part '" + named->get<std::string>() + "'");
  Manifest m{*rows, *bytes, int_field("uncompressed_bytes"), sha->get<std::string>()};
  return m;
}

// Fetches, verifies and decompresses one part: nothing of it is visited unless all of it checks.
Result<std::string> load_part(ObjectStore& store, const PartRef& part, const Manifest& m) {
  auto data = store.get(part.key);
  if (!data.ok()) return data.error().with_context("raw lake part '" + part.key + "'");
  if (static_cast<int64_t>(data->size()) != m.bytes)
    return lake_error(part.key, "size " + std::to_string(data->size()) + " != manifest bytes " +
                                    std::to_string(m.bytes));
  const std::string sha = sha256_hex(*data);
  if (sha != m.sha256)
    return lake_error(part.key, "sha256 " + sha + " != manifest sha256 " + m.sha256);
  const size_t limit =
      m.uncompressed_bytes ? static_cast<size_t>(*m.uncompressed_bytes) : kMaxPartUncompressed;
  auto text = zstd_decompress_stream(*data, limit);
  if (!text.ok()) return text.error().with_context("raw lake part '" + part.key + "'");
  if (m.uncompressed_bytes && static_cast<int64_t>(text->size()) != *m.uncompressed_bytes)
    return lake_error(part.key, "uncompressed size differs from the manifest");
  return text;
}

// Lines of a JSONL part; a final line without '\n' still counts (the writer always adds one).
int64_t count_lines(std::string_view text) {
  const auto n = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n'));
  return n + ((!text.empty() && text.back() != '\n') ? 1 : 0);
}

Status visit_part(ObjectStore& store, const PartRef& part,
                  const std::function<Status(const RawRecord&)>& fn, RawScanStats& stats) {
  auto manifest = load_manifest(store, part);
  if (!manifest.ok()) return manifest.error();
  auto text = load_part(store, part, *manifest);
  if (!text.ok()) return text.error();
  const int64_t rows = count_lines(*text);
  if (rows != manifest->rows)
    return lake_error(part.key, std::to_string(rows) + " rows != manifest rows " +
                                    std::to_string(manifest->rows));
  ++stats.parts;
  stats.bytes += manifest->bytes;
  RawRecord record{part.source, part.key, {}};
  const std::string_view all = *text;
  for (size_t pos = 0; pos < all.size();) {
    const size_t nl = std::min(all.find('\n', pos), all.size());
    record.payload.assign(all.substr(pos, nl - pos));
    ENVMON_TRY(fn(record));
    ++stats.records;
    pos = nl + 1;
  }
  return ok_status();
}

}  // namespace

Result<std::string> zstd_decompress_stream(std::string_view compressed, size_t max_bytes) {
  if (compressed.empty()) return Error(Errc::lake_io, "zstd: empty input");
  const std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) return Error(Errc::lake_io, "zstd: cannot create a decompression context");
  std::string out;
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  size_t pending = 0;
  // zstd keeps back the frame's last input byte until all its output is flushed, so consuming the
  // whole input means all output was produced.
  while (in.pos < in.size) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    pending = ZSTD_decompressStream(ctx.get(), &o, &in);
    if (ZSTD_isError(pending))
      return Error(Errc::lake_io, std::string("zstd decompress: ") + ZSTD_getErrorName(pending));
    if (out.size() + o.pos > max_bytes)
      return Error(Errc::lake_io, "zstd: output exceeds " + std::to_string(max_bytes) + " bytes");
    out.append(chunk.data(), o.pos);
  }
  if (pending != 0) return Error(Errc::lake_io, "zstd: truncated frame");
  return out;
}

Result<RawScanStats> scan_raw_lake(ObjectStore& store, Timestamp from, Timestamp to,
                                   const std::vector<std::string>& sources,
                                   const std::function<Status(const RawRecord&)>& fn) {
  if (to < from)
    return Error(Errc::invalid_argument, "raw lake scan: to " + format_rfc3339(to) +
                                             " is before from " + format_rfc3339(from));
  RawScanStats stats;
  if (to == from) return stats;
  const HourRange range{to_unix_ms(floor_to(from, Millis(kHourMs))), to_unix_ms(to)};
  SourceFilter filter;
  if (!sources.empty()) {
    filter.emplace();
    for (const auto& s : sources)
      filter->insert(sanitized_source(s));
  }
  auto parts = plan_parts(store, range, filter);
  if (!parts.ok()) return parts.error();
  for (const auto& part : *parts)
    ENVMON_TRY(visit_part(store, part, fn, stats));
  return stats;
}

}  // namespace envmon::lake
